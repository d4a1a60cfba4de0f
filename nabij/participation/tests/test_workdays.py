from datetime import date

from nabij.participation.workdays import add_working_days, dutch_holidays, easter_sunday, kingsday


def test_easter_dates_match_the_calendar():
    assert [easter_sunday(y) for y in (2024, 2025, 2026, 2027)] == [
        date(2024, 3, 31),
        date(2025, 4, 20),
        date(2026, 4, 5),
        date(2027, 3, 28),
    ]


def test_kingsday_on_a_sunday_moves_to_saturday():
    assert kingsday(2025) == date(2025, 4, 26)  # 27 April 2025 is a Sunday
    assert kingsday(2026) == date(2026, 4, 27)


def test_ten_working_days_skip_weekends():
    # Monday 2 March 2026 + 10 working days = Monday 16 March 2026.
    assert add_working_days(date(2026, 3, 2), 10) == date(2026, 3, 16)


def test_input_on_friday_counts_from_monday():
    assert add_working_days(date(2026, 3, 6), 1) == date(2026, 3, 9)


def test_easter_and_kingsday_are_skipped():
    # Thursday 2 April 2026; Goede Vrijdag 3/4, Tweede Paasdag 6/4 and Koningsdag (Mon 27/4) are not working days.
    # Working days: 7,8,9,10, 13,14,15,16,17, 20 → the tenth is Monday 20 April.
    assert add_working_days(date(2026, 4, 2), 10) == date(2026, 4, 20)
    assert add_working_days(date(2026, 4, 24), 1) == date(2026, 4, 28)


def test_christmas_and_new_year_are_skipped():
    # Wed 23 Dec 2026: 24 (Thu), then 25/26 holidays and weekend, 28, 29, 30, 31, 1 Jan holiday, 4 Jan.
    assert add_working_days(date(2026, 12, 23), 6) == date(2027, 1, 4)


def test_holiday_list_for_2026():
    assert date(2026, 5, 14) in dutch_holidays(2026)  # Hemelvaartsdag
    assert date(2026, 5, 25) in dutch_holidays(2026)  # Tweede Pinksterdag
    assert date(2026, 5, 5) in dutch_holidays(2026)  # Bevrijdingsdag
