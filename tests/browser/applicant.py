"""The public application form filled with mouse and typing, as most applicants do (the keyboard-only
path is in test_declaration_flow)."""

import re


def fill_application(page, site_url, name, content, email):
    """入力 → 確認: the form filled in and sent; the browser is left on the confirmation page."""
    page.goto(site_url + "/declarations/apply/")
    page.fill("#id_name", name)
    page.fill("#id_name_kana", "ていしゅつ")
    page.select_option("#id_organisation_type", label="企業")
    page.select_option("#id_industry", index=1)
    page.select_option("#id_municipality", label="高知市")
    page.fill("#id_representative_title", "代表取締役")
    page.fill("#id_representative_name", "提出 一郎")
    page.check("#id_areas_0")
    page.fill("#id_content", content)
    page.fill("#id_postal_code", "780-0870")
    page.fill("#id_address", "高知市本町1-1-1")
    page.fill("#id_contact_department", "総務課")
    page.fill("#id_contact_name", "提出 花子")
    page.fill("#id_phone", "088-000-1111")
    page.fill("#id_email", email)
    page.fill("#id_email_confirm", email)
    page.check("#id_agree_privacy")
    page.check("#id_agree_publication")
    page.check("#id_pledge_not_antisocial")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/declarations/apply/confirm/")


def apply_through_the_form(page, site_url, name, content, email):
    """入力 → 確認 → 完了; returns the 受付番号 shown on the completion page."""
    fill_application(page, site_url, name, content, email)
    page.locator("button[value=submit]").click()
    page.wait_for_url("**/declarations/apply/complete/")
    return re.search(r"受付番号：(\S+)", page.locator(".reference-number").inner_text()).group(1)
