import io

import openpyxl

from nabij.surveys.xlsx import write_xlsx


def test_written_workbook_reads_back_with_the_same_values():
    rows = [["nummer", "tekst", "getal"], [1, "ja;nee", 4], [2, "  <b>&\x01 \nregel", None], [3, "", 2.5]]
    handle = write_xlsx(iter(rows))
    sheet = openpyxl.load_workbook(io.BytesIO(handle.read()), read_only=True).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[:2] == [["nummer", "tekst", "getal"], [1, "ja;nee", 4]]
    assert values[2][1] == "  <b>& \nregel"
    assert values[3][0] == 3 and values[3][2] == 2.5
