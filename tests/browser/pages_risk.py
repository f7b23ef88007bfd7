"""Page objects for the risk pages (assessments app)."""

from __future__ import annotations

from sr_testing.browser import Screen


class RiskChecklistPage(Screen):
    """The checklist at /staff/risk/<public_id>/new/ (field names: see assessments/forms.py)."""

    def answer(self, name: str, value: str) -> None:
        """``name`` is a form field such as ``da_stalking``, ``hba`` or ``imm_documents_withheld``;
        ``value`` is ``yes``, ``no`` or ``not_known``."""
        self.page.locator(f'input[name="{name}"][value="{value}"]').check()

    def answer_checklist(self, *, yes: int, others: str = "no") -> None:
        """The first ``yes`` of the 24 questions "yes", the rest ``others``; the
        honour-based abuse question and every immigration indicator "no"."""
        from safereport.core.risk import DOMESTIC_ABUSE_QUESTIONS, IMMIGRATION_ABUSE_INDICATORS

        for index, question in enumerate(DOMESTIC_ABUSE_QUESTIONS):
            self.answer(f"da_{question.key}", "yes" if index < yes else others)
        self.answer("hba", "no")
        for question in IMMIGRATION_ABUSE_INDICATORS:
            self.answer(f"imm_{question.key}", "no")

    def incident_on(self, iso_date: str) -> None:
        self.page.get_by_label("Date of the incident that prompted this assessment").fill(iso_date)

    def submit(self) -> None:
        self.page.get_by_role("button", name="Record the assessment").click()
        self.check()

    def error_summary(self) -> str:
        return self.page.get_by_role("alert").inner_text()


class RiskResultPage(Screen):
    def text(self) -> str:
        return self.page.locator("main").inner_text()

    def flags(self) -> list[str]:
        return [
            item.get_attribute("data-flag") or ""
            for item in self.page.locator("li.risk-flag").all()
        ]
