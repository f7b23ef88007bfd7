"""Page objects for the transparency page."""

from __future__ import annotations

from sr_testing.browser import Screen


class TransparencyPage(Screen):
    def heading(self) -> str:
        return self.page.get_by_role("heading", level=1).inner_text()

    def immigration_refusals(self) -> str:
        return self.page.locator(".transparency-count").inner_text()

    def tree_size(self) -> str:
        return self.page.locator(".transparency-facts dd").first.inner_text()

    def show_policy(self) -> str:
        self.page.get_by_text("Show the policy text").click()
        return self.page.locator("details pre").inner_text()

    def statistics_table(self, caption: str) -> list[list[str]]:
        table = self.page.get_by_role("table", name=caption)
        return [
            [cell.inner_text() for cell in row.locator("th, td").all()]
            for row in table.locator("tr").all()
        ]

    def plots_shown(self) -> list[tuple[str, int]]:
        """Each chart's address and the width the browser decoded (0 if it did not load)."""
        return [
            (img.get_attribute("src") or "", int(img.evaluate("i => i.complete && i.naturalWidth")))
            for img in self.page.locator("img.transparency-plot").all()
        ]

    def plot_alt_texts(self) -> list[str]:
        return [
            img.get_attribute("alt") or ""
            for img in self.page.locator("img.transparency-plot").all()
        ]


class AnyPublicPage(Screen):
    def follow_footer_link(self, name: str) -> None:
        self.page.get_by_role("contentinfo").get_by_role("link", name=name).click()
        self.check()
