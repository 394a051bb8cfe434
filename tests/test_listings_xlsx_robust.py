"""Workbooks that used to crash, crawl or lose rows quietly: chart sheets, one stray cell far from the
data, a stated dimension that is wrong, and listings on more than one sheet."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

import scanner.listings.xlsx as xlsx
from scanner.cli import cli
from scanner.errors import InputError
from scanner.listings import read_listings
from scanner.progress import Progress
from tests.fixtures.listings.builders import FLAT_FIELDS, FLAT_LABELS_EN, workbook
from tests.fixtures.listings.platform_files import restate_dimension

LISTINGS = [["title", "sku", "brand"], ["Nike running shoes", "A1", "Nike"], ["Plain mug", "A2", ""]]


def _with_chart_sheet(path: Path, data: list[list[object]], index: int) -> Path:
    """A workbook with a data sheet and a chart sheet (no cells) at position ``index``."""
    import openpyxl
    from openpyxl.chart import BarChart, Reference

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Data"
    for row in data:
        ws.append(row)
    chart = BarChart()
    chart.add_data(Reference(ws, min_col=1, min_row=1, max_row=len(data)))
    wb.create_chartsheet("Chart", index).add_chart(chart)
    wb.save(path)
    return path


class _RowBudget:
    """Stands in for ``_row_texts`` and fails as soon as more rows or cells are converted than the sheet
    holds: a reader that pads a stray cell's sheet to its stated size fails at once, not after 40 minutes."""

    def __init__(self, rows: int, cells: int) -> None:
        self.rows, self.cells = rows, cells
        self.seen_rows = self.seen_cells = 0
        self.real = xlsx._row_texts

    def __call__(self, row):
        self.seen_rows += 1
        self.seen_cells += len(row)
        assert self.seen_rows <= self.rows, "reads rows the sheet does not hold"
        assert self.seen_cells <= self.cells, "reads cells the sheet does not hold"
        return self.real(row)


def _stray(tmp_path: Path, cell: str, value: str) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    for row in LISTINGS + [["Adidas cap", "A3", "Adidas"]]:
        ws.append(row)
    ws[cell] = value
    path = tmp_path / "sparse.xlsx"
    wb.save(path)
    return path


# -- chart sheets ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("index", [0, 1])
def test_chart_sheet_is_skipped_and_the_data_sheet_read(tmp_path, index):
    path = _with_chart_sheet(tmp_path / "chart.xlsx", LISTINGS, index)
    result = read_listings([path])
    assert result.listings["sku"].tolist() == ["A1", "A2"]
    assert any("sheet 'Data', header on row 1" in n for n in result.files[0].notes)


def test_chart_sheet_workbook_in_scan_and_profile_init(tmp_path):
    path = _with_chart_sheet(tmp_path / "chart.xlsx", LISTINGS, 0)
    scan = CliRunner().invoke(cli, ["scan", str(path), "--out", str(tmp_path / "r.xlsx"), "--csv",
                                    str(tmp_path / "r.csv"), "--no-history", "-q"])
    assert scan.exit_code == 0, scan.output
    assert "Nike running shoes" in (tmp_path / "r.csv").read_text(encoding="utf-8")
    init = CliRunner().invoke(cli, ["profile", "init", str(path), "--out", str(tmp_path / "s.toml")])
    assert init.exit_code == 0, init.output
    assert "Nike" in (tmp_path / "s.toml").read_text(encoding="utf-8")


def test_no_header_error_names_the_chart_sheet(tmp_path):
    path = _with_chart_sheet(tmp_path / "prices.xlsx", [["sku", "price"], ["S1", 9.99]], 0)
    with pytest.raises(InputError) as err:
        read_listings([path])
    msg = str(err.value)
    assert "sheet 'Data': sku, price" in msg and "chart sheet 'Chart': no cells" in msg and "\n" not in msg
    assert "prices.xlsx" in msg


# -- one stray cell far from the data ---------------------------------------------------------------------
def test_stray_cell_at_the_last_cell_of_the_sheet_is_a_rejected_row_read_at_the_cost_of_its_cells(
        tmp_path, monkeypatch):
    path = _stray(tmp_path, "XFD1048576", "x")
    budget = _RowBudget(rows=5, cells=4 * 3 + 16384)  # four rows of three cells; the stray cell's row
    monkeypatch.setattr(xlsx, "_row_texts", budget)
    result = read_listings([path])
    assert budget.seen_rows == 5
    assert result.listings["title"].tolist() == ["Nike running shoes", "Plain mug", "Adidas cap"]
    stats = result.files[0]
    # as on a small sheet: a row whose only value is in a column without a header, so its title is empty
    assert (stats.rows_read, stats.rows_ok, stats.rows_rejected) == (4, 3, 1)
    rejected = result.rejected.iloc[0]
    assert rejected[["source_row", "column", "reason"]].tolist() == [1048576, "title", "empty title"]
    assert rejected["raw"].endswith("\tx")
    assert "1 row(s) had values in columns without a header (ignored)" in stats.notes
    assert f"{1048576 - 5} blank line(s) skipped (not rows)" in stats.notes


def test_stray_title_far_below_is_a_listing(tmp_path, monkeypatch):
    path = _stray(tmp_path, "A1048576", "Gucci belt")
    budget = _RowBudget(rows=5, cells=5 * 3)
    monkeypatch.setattr(xlsx, "_row_texts", budget)
    result = read_listings([path])
    assert result.listings["title"].tolist()[-1] == "Gucci belt"
    assert result.listings["source_row"].tolist()[-1] == 1048576
    assert result.files[0].rows_rejected == 0


def test_dimension_stated_too_small_does_not_cut_rows(tmp_path):
    path = workbook(tmp_path / "small.xlsx", {"Sheet1": LISTINGS + [["Adidas cap", "A3", "Adidas"]]})
    restate_dimension(path, "A1:B2")  # two rows, two columns; the sheet holds four rows, three columns
    result = read_listings([path])
    assert result.listings["sku"].tolist() == ["A1", "A2", "A3"]
    assert result.listings["brand"].tolist() == ["Nike", "", "Adidas"]


def test_dimension_stated_huge_reads_only_the_rows_present(tmp_path, monkeypatch):
    path = restate_dimension(workbook(tmp_path / "huge.xlsx", {"Sheet1": LISTINGS}), "A1:XFD1048576")
    monkeypatch.setattr(xlsx, "_row_texts", _RowBudget(rows=3, cells=3 * 3))
    result = read_listings([path])
    assert result.listings["sku"].tolist() == ["A1", "A2"]
    assert not any("blank" in n for n in result.files[0].notes)  # nothing is padded to the stated range


def test_rows_missing_between_listings_are_blank_rows_and_numbering_holds(tmp_path):
    rows = [LISTINGS[0], LISTINGS[1], [None], [None], LISTINGS[2]]  # rows 3 and 4 hold no cell
    result = read_listings([workbook(tmp_path / "gap.xlsx", {"Sheet1": rows})])
    assert result.listings["source_row"].tolist() == [2, 5]
    assert "2 blank line(s) skipped (not rows)" in result.files[0].notes


# -- listings on more than one sheet ----------------------------------------------------------------------
def _progress() -> tuple[Progress, io.StringIO]:
    stream = io.StringIO()
    return Progress(stream=stream, interactive=False), stream


def test_listings_on_a_second_sheet_are_named_in_a_warning_and_the_notes(tmp_path):
    sheets = {"A": [["title", "sku"], ["Plain mug", "A1"]],
              "B": [["title", "sku"], ["Puma shoes", "B1"], [None], ["Gucci belt", "B2"]],
              "C": [["title", "sku"], ["Rolex watch", "C1"]]}
    path = workbook(tmp_path / "two.xlsx", sheets)
    progress, stream = _progress()
    result = read_listings([path], progress=progress)
    assert result.listings["sku"].tolist() == ["A1"]  # one sheet is read, as documented
    warnings = [line for line in stream.getvalue().splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1
    assert str(path) in warnings[0] and "only sheet 'A' is read" in warnings[0]
    assert "sheet 'B' (2 row(s) under a header on row 1)" in warnings[0]
    assert "sheet 'C' (1 row(s) under a header on row 1)" in warnings[0]
    assert warnings[0].removeprefix("warning: ") in result.files[0].notes  # and on the report's Summary sheet


def test_left_out_sheet_warning_reaches_scan_output(tmp_path):
    path = workbook(tmp_path / "two.xlsx", {"A": [["title", "sku"], ["Plain mug", "A1"]],
                                            "B": [["title", "sku"], ["Puma shoes", "B1"]]})
    result = CliRunner().invoke(cli, ["scan", str(path), "--out", str(tmp_path / "r.xlsx"), "--no-history"])
    assert result.exit_code == 0, result.output
    assert "warning:" in result.output and "sheet 'B' (1 row(s)" in result.output


def test_no_warning_for_a_second_sheet_with_a_header_and_no_rows(tmp_path):
    sheets = {"A": [["title", "sku"], ["Plain mug", "A1"]], "Blank": [["title", "sku"]]}
    path = workbook(tmp_path / "one.xlsx", sheets)
    progress, stream = _progress()
    result = read_listings([path], progress=progress)
    assert "warning" not in stream.getvalue()
    assert not any("not read" in n for n in result.files[0].notes)


def test_no_warning_for_example_and_data_definitions_beside_a_flat_file_template(tmp_path):
    definitions = [["Group Name", "Field Name", "Local Label Name"], ["Basic", "item_sku", "Seller SKU"],
                   ["Basic", "item_name", "Product Name"], ["Basic", "brand_name", "Brand"]]
    example = [FLAT_LABELS_EN, FLAT_FIELDS, ["shirt", "EXAMPLE-1", "Example", "Example Title"]]
    template = [FLAT_LABELS_EN, FLAT_FIELDS, ["shirt", "S1", "Acme", "Acme Tee"]]
    sheets = {"Template": template, "Example": example, "Data Definitions": definitions}
    path = workbook(tmp_path / "ff.xlsx", sheets)
    progress, stream = _progress()
    result = read_listings([path], progress=progress)
    assert result.listings["sku"].tolist() == ["S1"]
    assert "warning" not in stream.getvalue()


def test_a_flat_file_template_beside_a_marketplace_export_sheet_is_warned_about(tmp_path):
    template = [FLAT_LABELS_EN, FLAT_FIELDS, ["shirt", "T1", "Acme", "Acme Tee"], ["shirt", "T2", "Acme", "Acme Cap"]]
    shopify = [["Handle", "Title", "Body (HTML)", "Vendor", "Variant SKU"], ["mug", "Plain mug", "", "Acme", "M1"]]
    path = workbook(tmp_path / "mixed.xlsx", {"Template": template, "Shopify": shopify})
    progress, stream = _progress()
    result = read_listings([path], progress=progress)
    assert result.listings["sku"].tolist() == ["M1"]
    assert "sheet 'Template' (2 row(s) under a header on row 2)" in stream.getvalue()


def test_own_list_with_a_title_line_beside_a_flat_file_template_is_warned_about(tmp_path):
    template = [FLAT_LABELS_EN, FLAT_FIELDS, ["shirt", "S1", "Acme", "Acme Tee"]]
    own = [["ACME product list"], [], ["sku", "title", "brand"], ["M1", "Acme mug", "Acme"]]
    path = workbook(tmp_path / "ff.xlsx", {"Template": template, "My listings": own})
    progress, stream = _progress()
    read_listings([path], progress=progress)
    assert "sheet 'My listings' (1 row(s) under a header on row 3)" in stream.getvalue()


def test_control_characters_excel_escapes_in_cells_are_decoded(tmp_path):
    path = workbook(tmp_path / "esc.xlsx", {"Sheet": [["title", "sku"], ["Case for Apple_x000D_", "S1"],
                                                      ["Fits Apple_x000D_\niPhone 15", "S2"],
                                                      ["Literal _x005F_x000D_ text", "S3"]]})
    titles = read_listings([path]).listings["title"].tolist()
    assert titles == ["Case for Apple", "Fits Apple\r\niPhone 15", "Literal _x000D_ text"]


def test_second_flat_file_sheet_beside_the_template_is_warned_about(tmp_path):
    template = [FLAT_LABELS_EN, FLAT_FIELDS, ["shirt", "S1", "Acme", "Acme Tee"]]
    more = [FLAT_FIELDS, ["shirt", "S2", "Acme", "Acme Cap"], ["shirt", "S3", "Acme", "Acme Hat"]]
    path = workbook(tmp_path / "ff.xlsx", {"Template": template, "Template (2)": more})
    progress, stream = _progress()
    read_listings([path], progress=progress)
    assert "sheet 'Template (2)' (2 row(s) under a header on row 1)" in stream.getvalue()


def test_own_list_beside_a_flat_file_template_is_warned_about(tmp_path):
    template = [FLAT_LABELS_EN, FLAT_FIELDS, ["shirt", "S1", "Acme", "Acme Tee"]]
    own = [["Title", "SKU"], ["Acme mug", "M1"]]
    path = workbook(tmp_path / "ff.xlsx", {"Template": template, "My list": own})
    progress, stream = _progress()
    read_listings([path], progress=progress)
    assert "sheet 'My list' (1 row(s) under a header on row 1)" in stream.getvalue()


def test_second_sheet_of_the_same_marketplace_export_is_warned_about(tmp_path):
    header = ["사이트", "상품번호", "판매자관리코드", "상품명", "판매상태", "판매가", "재고"]
    gmarket = [header, ["G마켓", "3383368133", "ESM-CASE-01", "갤럭시 S24 호환 젤리 케이스", "판매중", 9900, 100]]
    auction = [header, ["옥션", "B463945053", "ESM-SHOE-02", "여성 운동화 경량 러닝화", "판매중", 39000, 20]]
    path = workbook(tmp_path / "goods_list.xlsx", {"G": gmarket, "A": auction})
    progress, stream = _progress()
    result = read_listings([path], progress=progress)
    assert result.files[0].format == "esm"
    assert result.listings["sku"].tolist() == ["ESM-CASE-01"]
    assert "sheet 'A' (1 row(s) under a header on row 1)" in stream.getvalue()


def test_left_out_sheet_that_breaks_part_way_is_counted_as_at_least(tmp_path):
    rows = [["title", "sku"]] + [[f"Item {i}", f"B{i}"] for i in range(2, 41)]
    src = workbook(tmp_path / "src.xlsx", {"A": [["title", "sku"], ["Plain mug", "A1"]], "B": rows})
    path = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(path, "w") as zout:
        for name in zin.namelist():
            data = zin.read(name)
            if name == "xl/worksheets/sheet2.xml":  # row 35 of sheet B: a number cell holding text
                data = data.replace(b'<c r="A35"', b'<c r="A35" t="n"><v>abc</v></c><c r="Z35"', 1)
            zout.writestr(name, data)
    progress, stream = _progress()
    result = read_listings([path], progress=progress)
    assert result.listings["sku"].tolist() == ["A1"]
    assert "sheet 'B' (at least 33 row(s), the rest unreadable" in stream.getvalue()


# -- formulas whose value the workbook does not store --------------------------------------------------------
def test_a_title_formula_without_a_saved_value_is_named_as_such(tmp_path):
    # openpyxl (like pandas and other programs) writes a formula without its value; Excel and LibreOffice
    # store the value when they save the file
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for row in (["title", "sku", "brand"], ["Plain mug", "A1", "Acme"], ['=C3&" running shoes"', "A2", "Nike"],
                ["", "A3", ""], ["=1+1", "A4", ""]):
        ws.append(row)
    path = tmp_path / "formulas.xlsx"
    wb.save(path)
    result = read_listings([path])
    assert result.listings["sku"].tolist() == ["A1"]
    reasons = dict(zip(result.rejected["source_row"], result.rejected["reason"], strict=True))
    assert reasons == {3: xlsx.FORMULA_TITLE, 4: "empty title", 5: xlsx.FORMULA_TITLE}
    assert any("2 title(s) are formulas with no saved value" in note for note in result.files[0].notes)


def test_a_column_of_formulas_without_saved_values_is_named_in_a_warning(tmp_path):
    """A brand column written as formulas only reads empty in every row: the warning names the column and
    what to do, instead of a scan that silently sees no brand."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["title", "sku", "brand", "description"])
    for i in range(1, 6):
        ws.append([f"Running shoes {i}", f"A{i}", "=UPPER(\"nike\")", ""])
    path = tmp_path / "brand-formulas.xlsx"
    wb.save(path)
    progress, stream = _progress()
    result = read_listings([path], progress=progress)
    assert result.listings["brand"].tolist() == [""] * 5 and len(result.rejected) == 0
    said = stream.getvalue()
    assert "column 'brand' is read as empty: 5 of its cells in the first 5 row(s) are formulas" in said
    assert "save it" in said and "description" not in said  # an empty column without formulas is not named
    assert any("column 'brand'" in note for note in result.files[0].notes)


@pytest.mark.parametrize("rows", [LISTINGS, [["title", "sku", "brand"], ["Plain mug", "A1", ""], ["Blue cup", "A2", ""]]])
def test_a_sheet_without_formulas_is_read_once(tmp_path, monkeypatch, rows):
    """Neither a sheet without empty titles nor one with an empty column but no formula is loaded again."""
    import openpyxl

    path = workbook(tmp_path / "plain.xlsx", {"Sheet1": rows})
    loads = []
    real = openpyxl.load_workbook

    def spy(*args, **kwargs):
        loads.append(kwargs.get("data_only"))
        return real(*args, **kwargs)

    monkeypatch.setattr(openpyxl, "load_workbook", spy)
    result = read_listings([path])
    assert loads == [True] and result.listings["brand"].tolist() == [r[2] for r in rows[1:]]


@pytest.mark.parametrize("at", [0, (1 << 22) - 2, (1 << 22) + 5])
def test_the_formula_check_finds_a_formula_anywhere_in_the_sheet_xml(tmp_path, at):
    """The zip check that spares a second load finds a formula element wherever it is, a tag cut between two
    reads too, with or without a namespace prefix; within a limit, only there."""
    import zipfile

    path = tmp_path / "book.xlsx"
    for tag in (b"<f>SUM(A1:A2)</f>", b'<x:f t="shared" si="0"/>'):
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("xl/worksheets/sheet1.xml", b"<row>" + b"x" * at + tag + b"<v></v></row>")
            zf.writestr("xl/worksheets/sheet2.xml", b"<row>" + b"x" * at + b"<fill/><font/><v>1</v></row>")
        assert xlsx._may_hold_formulas(path, "xl/worksheets/sheet1.xml", None)
        assert not xlsx._may_hold_formulas(path, "xl/worksheets/sheet2.xml", None)
        assert xlsx._may_hold_formulas(path, "xl/worksheets/sheet1.xml", at + 64) and (
            at == 0 or not xlsx._may_hold_formulas(path, "xl/worksheets/sheet1.xml", at))
    assert xlsx._may_hold_formulas(path, "xl/worksheets/missing.xml", None)  # unreadable: the slow check decides


def test_header_below_many_formatted_empty_rows_is_found(tmp_path):
    import openpyxl
    from openpyxl.styles import PatternFill

    wb = openpyxl.Workbook()
    ws = wb.active
    for r in range(1, 60):  # a formatted block above the list, as templates have
        for c in range(1, 4):
            ws.cell(row=r, column=c).fill = PatternFill("solid", fgColor="FFFF00")
    ws["A2"] = "ACME Corp product list"
    for c, value in enumerate(["title", "sku"], start=1):
        ws.cell(row=60, column=c, value=value)
    ws.cell(row=61, column=1, value="Acme mug")
    ws.cell(row=61, column=2, value="M1")
    path = tmp_path / "styled.xlsx"
    wb.save(path)
    result = read_listings([path])
    assert result.listings[["title", "sku", "source_row"]].values.tolist() == [["Acme mug", "M1", 61]]


def test_number_formatted_as_an_impossible_date_is_said_not_a_raw_python_warning(tmp_path, recwarn):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["title", "sku"])
    ws.append(["Acme mug", 123456789])
    ws["B2"].number_format = "mm/dd/yyyy"
    path = tmp_path / "datesku.xlsx"
    wb.save(path)
    progress, stream = _progress()
    result = read_listings([path], progress=progress)
    assert len(recwarn) == 0  # nothing reaches Python's warnings (printed raw on the terminal)
    note = "1 number(s) formatted as dates are beyond Excel's dates and read as #VALUE!: B2 (123456789)"
    assert note in stream.getvalue() and any(note in n for n in result.files[0].notes)
