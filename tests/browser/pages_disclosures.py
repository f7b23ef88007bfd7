"""Page objects for the firewall's staff pages (disclosures app)."""

from __future__ import annotations

from sr_testing.browser import Screen


class CasePage(Screen):
    def share(self) -> None:
        self.page.get_by_role("link", name="Share with…").click()
        self.check()


class SharePage(Screen):
    def choose(self, *labels: str) -> None:
        for label in labels:
            self.page.get_by_label(label, exact=True).check()

    def offered_sections(self) -> list[str]:
        return [
            box.get_attribute("value") or ""
            for box in self.page.locator("input[name=sections]").all()
        ]

    def submit(self, name: str) -> None:
        self.page.get_by_role("button", name=name).click()
        self.check()

    def heading(self) -> str:
        return self.page.get_by_role("heading", level=1).inner_text()

    def error_summary(self) -> str:
        return self.page.get_by_role("alert").inner_text()


class PackagesPage(Screen):
    def open_first(self) -> None:
        self.page.locator("table a").first.click()
        self.check()

    def text(self) -> str:
        return self.page.locator("main").inner_text()


class StaffForm(Screen):
    """Any of the firewall's staff forms: choose, fill, submit."""

    def choose(self, *labels: str) -> None:
        for label in labels:
            self.page.get_by_label(label, exact=True).check()

    def fill(self, label: str, text: str) -> None:
        self.page.get_by_label(label).fill(text)

    def submit(self, name: str) -> None:
        self.page.get_by_role("button", name=name).click()
        self.check()

    def heading(self) -> str:
        return self.page.get_by_role("heading", level=1).inner_text()

    def main_text(self) -> str:
        return self.page.locator("main").inner_text()
