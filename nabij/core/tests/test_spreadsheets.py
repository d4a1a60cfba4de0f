import io

from openpyxl import load_workbook

from nabij.core.spreadsheets import Sheet, csv_lines, xlsx_bytes


def test_a_formula_typed_by_a_resident_arrives_as_text_in_csv():
    text = "".join(csv_lines(["antwoord"], [['=HYPERLINK("http://x.example","klik")'], ["+31 6"], ["gewoon"]]))
    lines = text.lstrip("\ufeff").splitlines()
    assert lines[1] == '"\'=HYPERLINK(""http://x.example"",""klik"")"'
    assert lines[2] == "'+31 6"
    assert lines[3] == "gewoon"


def test_a_formula_typed_by_a_resident_arrives_as_text_in_xlsx():
    content = xlsx_bytes([Sheet("Antwoorden", ["antwoord", "aantal"], [['=HYPERLINK("http://x.example")', 3]])])
    sheet = load_workbook(io.BytesIO(content)).active
    cell = sheet["A2"]
    assert cell.data_type == "s" and cell.value == '=HYPERLINK("http://x.example")'
    assert cell.quotePrefix is True or cell.style_array.quotePrefix
    assert sheet["B2"].value == 3
    assert sheet["A1"].value == "antwoord"


def test_sheet_titles_excel_refuses_are_cleaned():
    content = xlsx_bytes([Sheet("Vragen: wat/waarom?", ["a"], [])])
    assert load_workbook(io.BytesIO(content)).sheetnames == ["Vragen  wat waarom"]
