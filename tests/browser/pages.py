"""Page objects for the browser tests."""

from __future__ import annotations

from sr_testing.browser import Screen


class StaffLogin(Screen):
    def sign_in(self, username: str, password: str, code: str) -> None:
        self.page.get_by_label("Username").fill(username)
        self.page.get_by_label("Password").fill(password)
        self.page.get_by_label("Code from your authenticator app").fill(code)
        self.page.get_by_role("button", name="Sign in").click()
        self.check()

    def error_summary(self) -> str:
        return self.page.get_by_role("alert").inner_text()


def sign_in_as(page, visits, user, password: str | None = None) -> None:  # type: ignore[no-untyped-def]
    """Sign ``user`` in through the login page with a fresh backup code."""
    from sr_testing.personas import PASSWORD, fresh_backup_code

    login = StaffLogin(page, visits)
    login.open("/staff/login/")
    login.sign_in(user.username, password or PASSWORD, fresh_backup_code(user))


class StaffShell(Screen):
    def heading(self) -> str:
        return self.page.get_by_role("heading", level=1).inner_text()

    def sign_out(self) -> None:
        self.page.get_by_role("button", name="Sign out").click()
        self.check()


class PublicPage(Screen):
    def switch_language(self, name: str) -> None:
        self.page.get_by_role("navigation", name="Language").get_by_role("link", name=name).click()
        self.check()

    def html_lang_dir(self) -> tuple[str | None, str | None]:
        html = self.page.locator("html")
        return html.get_attribute("lang"), html.get_attribute("dir")


class StaffPage(Screen):
    """Any staff page of case work (referrals, police liaison, risk): follow a
    link, choose, fill, submit, read. Labels are matched exactly."""

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
