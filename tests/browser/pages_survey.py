"""Page objects for the barriers-to-reporting survey and the analyst page."""

from __future__ import annotations

from sr_testing.browser import Screen


class SurveyPage(Screen):
    """Any page of the public survey. Works in every language: it finds things by
    their ids and roles, never by English words."""

    def html_lang_dir(self) -> tuple[str | None, str | None]:
        html = self.page.locator("html")
        return html.get_attribute("lang"), html.get_attribute("dir")

    def heading(self) -> str:
        return self.page.get_by_role("heading", level=1).inner_text()

    def submit(self) -> None:
        self.page.locator("main form button[type=submit]").click()
        self.check()

    def start(self) -> None:
        self.page.locator("main a.button").click()
        self.check()

    def answer_question(self, index: int | None) -> None:
        """Pick the ``index``-th answer (None skips the question) and continue."""
        if index is not None:
            self.page.locator(f"#answer-{index}").check()
        self.submit()

    def choose(self, alternative: str | None) -> None:
        """``A``, ``B``, ``no_report`` or None (continue without choosing)."""
        if alternative is not None:
            self.page.locator(f"#choice-{alternative}").check()
        self.submit()

    def chosen(self) -> str | None:
        for alternative in ("A", "B", "no_report"):
            if self.page.locator(f"#choice-{alternative}").is_checked():
                return alternative
        return None

    def back(self) -> None:
        self.page.locator("a.back-link").click()
        self.check()

    def error_summary(self) -> str:
        return self.page.get_by_role("alert").inner_text()

    def option_boxes(self) -> list[dict[str, float]]:
        return [
            box
            for box in (o.bounding_box() for o in self.page.locator(".choice-option").all())
            if box
        ]

    def option_text(self, alternative: str) -> str:
        return self.page.locator(f"#choice-{alternative}-details").inner_text()


class AnalysisPage(Screen):
    def counts(self, table_id: str, row_text: str) -> list[str]:
        row = self.page.locator(f"#{table_id} tbody tr").filter(has_text=row_text)
        return [cell.strip() for cell in row.locator("td").all_inner_texts()]

    def figure_loaded(self) -> bool:
        return bool(
            self.page.locator(".regime-figure img").evaluate(
                "img => img.complete && img.naturalWidth > 0"
            )
        )
