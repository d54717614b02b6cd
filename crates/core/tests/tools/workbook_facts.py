"""Reads a workbook with openpyxl (a second reader, independent of the writer and of calamine)
and, if given, the PDF LibreOffice printed of it with pypdf; prints what the tests check as
JSON: per sheet its print set-up, frozen panes, cells of the first rows and of column A, the
number format of the first date cell; per PDF page its text."""

import datetime
import json
import sys

import openpyxl


def cell_text(value):
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d")
    return str(value)


def sheet_facts(ws):
    setup = ws.page_setup
    props = ws.sheet_properties.pageSetUpPr
    first_date_format = None
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, datetime.datetime):
                first_date_format = cell.number_format
                break
        if first_date_format:
            break
    return {
        "name": ws.title,
        "freeze": ws.freeze_panes,
        "paper": setup.paperSize,
        "orientation": setup.orientation,
        "fit_to_page": bool(props and props.fitToPage),
        "fit_width": setup.fitToWidth,
        "fit_height": setup.fitToHeight,
        "print_titles": ws.print_title_rows,
        "header": ws.oddHeader.left.text or "",
        "header_right": ws.oddHeader.right.text or "",
        "footer": ws.oddFooter.center.text or "",
        "max_row": ws.max_row,
        "rows": [
            [cell_text(v) for v in row]
            for row in ws.iter_rows(min_row=1, max_row=min(ws.max_row, 12), values_only=True)
        ],
        "column_a": [cell_text(row[0]) for row in ws.iter_rows(values_only=True)],
        "first_date_format": first_date_format,
    }


def main():
    workbook = openpyxl.load_workbook(sys.argv[1])
    facts = {"sheets": [sheet_facts(ws) for ws in workbook.worksheets]}
    if len(sys.argv) > 2:
        import pypdf

        reader = pypdf.PdfReader(sys.argv[2])
        facts["pages"] = [page.extract_text() for page in reader.pages]
    json.dump(facts, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
