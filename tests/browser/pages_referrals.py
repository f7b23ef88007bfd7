"""Page objects for referrals and the service directory (referrals app)."""

from __future__ import annotations

from sr_testing.browser import Screen


class ReferralPage(Screen):
    """Any referral or directory page: choose, fill, submit, read."""

    def click_link(self, name: str) -> None:
        self.page.get_by_role("link", name=name).first.click()
        self.check()

    def choose(self, *labels: str) -> None:
        for label in labels:
            self.page.get_by_label(label, exact=True).check()

    def fill(self, label: str, text: str) -> None:
        self.page.get_by_label(label, exact=True).fill(text)

    def select(self, label: str, value: str) -> None:
        self.page.get_by_label(label, exact=True).select_option(value)

    def submit(self, name: str) -> None:
        self.page.get_by_role("button", name=name).first.click()
        self.check()

    def heading(self) -> str:
        return self.page.get_by_role("heading", level=1).inner_text()

    def alert(self) -> str:
        return self.page.get_by_role("alert").first.inner_text()

    def text(self) -> str:
        return self.page.locator("main").inner_text()
