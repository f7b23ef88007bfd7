"""Page objects for the reporter's journey and the caseworker's case pages."""

from __future__ import annotations

from sr_testing.browser import Screen


class JourneyStep(Screen):
    """Any page of the journey: fill, choose, continue."""

    def heading(self) -> str:
        return self.page.get_by_role("heading", level=1).inner_text()

    def choose(self, label: str) -> None:
        self.page.get_by_label(label, exact=True).check()

    def fill(self, label: str, text: str) -> None:
        self.page.get_by_label(label).fill(text)

    def press(self, name: str) -> None:
        self.page.get_by_role("button", name=name).click()
        self.check()

    def follow(self, name: str) -> None:
        self.page.get_by_role("link", name=name).first.click()
        self.check()

    def attach(self, path: str) -> None:
        self.page.get_by_label("Attach a file (optional)").set_input_files(path)

    def error_summary(self) -> str:
        return self.page.get_by_role("alert").first.inner_text()


class Receipt(Screen):
    def passphrase(self) -> str:
        return self.page.locator("[data-passphrase]").inner_text().strip()


class ReturnPage(Screen):
    def open_with(self, passphrase: str) -> None:
        self.page.get_by_label("Your secret phrase").fill(passphrase)
        self.page.get_by_role("button", name="Open my report").click()
        self.check()

    def send_message(self, text: str) -> None:
        self.page.get_by_label("Your message").fill(text)
        self.page.get_by_role("button", name="Send message").click()
        self.check()

    def text(self) -> str:
        return self.page.locator("main").inner_text()


class CasePage(Screen):
    def open_case(self, reference: str) -> None:
        self.page.get_by_role("link", name=reference).click()
        self.check()

    def reply(self, text: str) -> None:
        self.page.get_by_label("Reply to the reporter").fill(text)
        self.page.get_by_role("button", name="Send reply").click()
        self.check()

    def text(self) -> str:
        return self.page.locator("main").inner_text()
