"""Done-when for issue 8: the survey answered in two languages in a real browser
(Spanish without JavaScript on a narrow phone, Arabic with it), then the analyst
page counts the responses."""

from __future__ import annotations

from pages import StaffLogin
from pages_survey import AnalysisPage, SurveyPage

from safereport.survey.models import SurveyResponse
from sr_testing.personas import PASSWORD, fresh_backup_code
from survey.survey_helpers import answer_surveys, store_small_design


def test_survey_in_spanish_without_javascript_and_arabic_with_it_then_counted(
    nojs_page, browser_page, personas
):
    store_small_design(n_sets=6, n_blocks=2)  # 3 choice tasks per person
    answer_surveys(9, language="es")
    answer_surveys(9, language="ar", seed=1)

    # The analyst first sees both languages under the minimum cell size.
    page, visits = browser_page
    login = StaffLogin(page, visits)
    login.open("/staff/login/")
    login.sign_in(personas.analyst.username, PASSWORD, fresh_backup_code(personas.analyst))
    analysis = AnalysisPage(page, visits)
    analysis.open("/staff/analysis/")
    assert analysis.counts("progress-by-language", "Español") == ["fewer than 10"] * 2
    assert analysis.counts("progress-by-language", "العربية") == ["fewer than 10"] * 2

    # Spanish, no JavaScript, on a phone-sized screen.
    phone, phone_visits = nojs_page
    phone.set_viewport_size({"width": 360, "height": 800})
    survey = SurveyPage(phone, phone_visits)
    survey.open("/es/survey/")
    assert survey.html_lang_dir() == ("es", "ltr")
    assert "anónima" in phone.content()
    survey.start()
    for index in (1, None, 2, 0):
        survey.answer_question(index)
    assert survey.heading() == "Imagina que has sido víctima de un delito. ¿Qué elegirías?"
    assert "control de inmigración" in survey.option_text("A") + survey.option_text("B")
    first, second = survey.option_boxes()
    assert second["y"] >= first["y"] + first["height"]  # stacked on a narrow screen
    survey.choose(None)
    assert "Elige la opción A, la opción B o «No denunciaría»." in survey.error_summary()
    survey.choose("B")
    survey.back()
    assert survey.chosen() == "B"  # nothing lost
    survey.choose("B")
    survey.choose("no_report")
    survey.choose("A")
    assert phone.url.endswith("/es/survey/thank-you/")
    assert survey.heading() == "Gracias"

    # Arabic, with JavaScript, on a wide screen: right to left, options side by side.
    arabic = SurveyPage(page, visits)
    arabic.open("/ar/survey/")
    assert arabic.html_lang_dir() == ("ar", "rtl")
    arabic.start()
    for index in (0, 3, None, 1):
        arabic.answer_question(index)
    first, second = arabic.option_boxes()
    assert abs(first["y"] - second["y"]) < 1 and second["x"] < first["x"]  # side by side, RTL
    for choice in ("A", "no_report", "B"):
        arabic.choose(choice)
    assert page.url.endswith("/ar/survey/thank-you/")
    assert arabic.heading() == "شكرًا لك"

    assert SurveyResponse.objects.filter(language="es", completed=True).count() == 10
    assert SurveyResponse.objects.filter(language="ar", completed=True).count() == 10

    # The analyst page now counts them: 10 each, at the minimum cell size.
    analysis.open("/staff/analysis/")
    assert analysis.counts("progress-by-language", "Español") == ["10", "10"]
    assert analysis.counts("progress-by-language", "العربية") == ["10", "10"]
    assert analysis.figure_loaded()
