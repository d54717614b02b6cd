"""Splink (DuckDB backend) on the same synthetic exports as `lagebild link-eval`.

Usage: compare.py CITY_DIR OUT_JSON

Chooses the files as `lagebild link-eval --synth-dir` does (manifest.json: newest Meldewesen
and ALW snapshot, newest single-month AKDN file, every SchILD file), reads them as a Splink
user would (csv/openpyxl), normalises names (lowercase, accents stripped, ß -> ss, other
characters dropped), links ALW x Meldewesen, AKDN x ALW and SchILD x ALW with a model
comparable to ours and scores the links against truth/records.csv.

Model (per pair): blocking rules as ours (same birth date; birth year + Kölner Phonetik of the
family name; Kölner Phonetik of first given and family name; birth year + Kölner Phonetik of
the first given name), Jaro-Winkler levels on family and first given name (exact with term
frequency, written in the other name field, >= 0.92, >= 0.80), birth date (exact, day/month swapped, same year and month, same
year), sex, address (exact). u by random sampling, lambda from deterministic rules, m by EM
(two sessions, blocked on birth date and on the names). Threshold: match weight >= 0 (as
ours). Splink has no one-to-one assignment; `cluster_using_single_best_links` with both
registers duplicate-free gives each record at most one partner, which we count as the links.

Prints and writes JSON: per pair precision, recall, F1, seconds (from the prepared tables to
the links; reading the files is not counted, the normalisation is) and pairs.
"""

import csv
import datetime
import json
import logging
import sys
import time
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

import openpyxl
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

logging.getLogger("splink").setLevel(logging.ERROR)


def select(city):
    manifest = json.loads((city / "manifest.json").read_text(encoding="utf-8"))
    best = {}
    schild = []
    for f in manifest["files"]:
        path, source = f.get("path", ""), f.get("source", "")
        months = f.get("report_months") or []
        if source == "Meldewesen" and "EWO_Bestand" in path:
            slot, rank = "m", f.get("snapshot_date", "")
        elif source == "ALW" and "ALW_Auslaender" in path:
            slot, rank = "a", f.get("snapshot_date", "")
        elif source == "AKDN" and len(months) == 1:
            slot, rank = "k", months[0]
        elif source == "SchILD":
            schild.append(path)
            continue
        else:
            continue
        if slot not in best or rank > best[slot][0]:
            best[slot] = (rank, path)
    return best["m"][1], best["a"][1], best["k"][1], sorted(schild)


# --- reading -------------------------------------------------------------------------------


def header_index(header, *choices, exclude=()):
    low = [str(h or "").strip().lower() for h in header]
    for choice in choices:
        for i, h in enumerate(low):
            if h.startswith(choice) and not any(x in h for x in exclude):
                return i
    return None


def rows_from_table(rows, first_row_number):
    """(row number, cells) after the header line (the first line naming a birth date)."""
    header, out = None, []
    for number, cells in enumerate(rows, start=first_row_number):
        cells = list(cells)
        if header is None:
            if any("geburtsdatum" in str(c or "").lower() for c in cells):
                header = cells
            continue
        out.append((number, cells))
    return header, out


def read_file(city, rel):
    path = city / rel
    name = path.name.lower()
    if name.endswith(".xlsx"):
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        result = []
        for ws in wb.worksheets:
            header, rows = rows_from_table(ws.iter_rows(values_only=True), 1)
            if header:
                result.append((ws.title, header, rows))
        return result
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    delimiter = "|" if name.endswith(".dat") else ";"
    lines = list(csv.reader(text.splitlines(), delimiter=delimiter))
    header, rows = rows_from_table(lines, 1)
    return [("", header, rows)]


# --- normalising ---------------------------------------------------------------------------


def norm(text):
    text = str(text or "").strip().lower().replace("ß", "ss")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = "".join(c if c.isalnum() else " " for c in text)
    return " ".join(text.split())


def koelner(word):
    """Kölner Phonetik (Postel 1969) of a normalised word."""
    word = "".join(c for c in word.upper() if "A" <= c <= "Z")
    codes = []
    for i, c in enumerate(word):
        prev = word[i - 1] if i > 0 else ""
        nxt = word[i + 1] if i + 1 < len(word) else ""
        if c in "AEIJOUY":
            code = "0"
        elif c == "H":
            code = ""
        elif c == "B":
            code = "1"
        elif c == "P":
            code = "3" if nxt == "H" else "1"
        elif c in "DT":
            code = "8" if nxt in "CSZ" else "2"
        elif c in "FVW":
            code = "3"
        elif c in "GKQ":
            code = "4"
        elif c == "C":
            if i == 0:
                code = "4" if nxt in "AHKLOQRUX" else "8"
            else:
                code = "8" if prev in "SZ" or nxt not in "AHKOQUX" else "4"
        elif c == "X":
            code = "8" if prev in "CKQ" else "48"
        elif c == "L":
            code = "5"
        elif c in "MN":
            code = "6"
        elif c == "R":
            code = "7"
        elif c in "SZ":
            code = "8"
        else:
            code = ""
        codes.append(code)
    out = ""
    for code in "".join(codes):
        if not out or out[-1] != code:
            out += code
    return out[:1] + out[1:].replace("0", "") if out else ""


def date_parts(value):
    if isinstance(value, datetime.datetime) or isinstance(value, datetime.date):
        return value.day, value.month, value.year
    text = str(value or "").strip()
    try:
        if "-" in text:
            y, m, d = text[:10].split("-")
        else:
            d, m, y = text.split(".")
        return int(d), int(m), int(y)
    except ValueError:
        return None


def sex(value):
    v = str(value or "").strip().lower()
    if v in ("m", "männlich", "maennlich", "1"):
        return "m"
    if v in ("w", "weiblich", "f", "2"):
        return "w"
    return None


def records(city, files, truth, prefix):
    """Link records of the files, with the true person for scoring."""
    out = []
    for rel in files:
        for sheet, header, rows in read_file(city, rel):
            fam = header_index(header, "familienname", "nachname", "name")
            giv = header_index(header, "vorname")
            dob = header_index(header, "geburtsdatum", "geb")
            sx = header_index(header, "geschlecht")
            street = header_index(header, "straße", "strasse", exclude=("schl",))
            house = header_index(header, "hausn")
            for number, cells in rows:
                def cell(i):
                    return cells[i] if i is not None and i < len(cells) else None

                d = date_parts(cell(dob))
                if d is None:
                    continue  # sum rows and blank lines
                family, given = norm(cell(fam)), norm(cell(giv))
                if not family and not given:
                    continue
                day, month, year = d
                first = given.split(" ")[0] if given else ""
                address = norm(f"{cell(street) or ''} {cell(house) or ''}")
                address = address.replace("strasse", "str").replace(" str ", "str ")
                person = truth.get((rel, sheet, number)) or truth.get((rel, "", number))
                out.append({
                    "unique_id": f"{prefix}{len(out)}",
                    "family": family or None,
                    "given": first or None,
                    "family_ph": koelner(family.split(" ")[-1]) if family else None,
                    "given_ph": koelner(first) if first else None,
                    "dob": f"{year:04d}-{month:02d}-{day:02d}" if day and month else None,
                    "dob_y": year or None,
                    "dob_m": month or None,
                    "dob_d": day or None,
                    "sex": sex(cell(sx)),
                    "address": address or None,
                    "_person": person,
                })
    return out


def read_truth(city):
    truth = {}
    with open(city / "truth" / "records.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f, delimiter=";"):
            truth[(row["file"], row["sheet"], int(row["row"]))] = row["person_id"]
    return truth


# --- Splink --------------------------------------------------------------------------------


def name(column, other):
    """Jaro-Winkler levels with term frequencies on exact agreement, plus a level for names
    written in the other field (family and given name swapped)."""
    return cl.CustomComparison(
        output_column_name=column,
        comparison_levels=[
            cll.NullLevel(column),
            cll.ExactMatchLevel(column, term_frequency_adjustments=True),
            cll.ColumnsReversedLevel(column, other),
            cll.JaroWinklerLevel(column, 0.92),
            cll.JaroWinklerLevel(column, 0.8),
            cll.ElseLevel(),
        ],
    )


def settings():
    swap = cll.CustomLevel(
        "dob_d_l = dob_m_r and dob_m_l = dob_d_r and dob_y_l = dob_y_r",
        label_for_charts="Tag und Monat vertauscht",
    )
    year_month = cll.CustomLevel(
        "dob_y_l = dob_y_r and dob_m_l = dob_m_r", label_for_charts="gleiches Jahr und Monat"
    )
    year = cll.CustomLevel("dob_y_l = dob_y_r", label_for_charts="gleiches Jahr")
    birth = cl.CustomComparison(
        output_column_name="dob",
        comparison_levels=[
            cll.NullLevel("dob_y"),
            cll.ExactMatchLevel("dob"),
            swap,
            year_month,
            year,
            cll.ElseLevel(),
        ],
    )
    return SettingsCreator(
        link_type="link_only",
        comparisons=[
            name("family", "given"),
            name("given", "family"),
            birth,
            cl.ExactMatch("sex"),
            cl.ExactMatch("address"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("dob"),
            block_on("dob_y", "family_ph"),
            block_on("given_ph", "family_ph"),
            block_on("dob_y", "given_ph"),
        ],
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )


def to_columns(rows):
    keys = [k for k in rows[0] if not k.startswith("_")]
    return {k: [r[k] for r in rows] for k in keys}


def link_pair(name, a, b):
    start = time.perf_counter()
    db_api = DuckDBAPI()
    df_a = db_api.register(to_columns(a), dataset_display_name="a")
    df_b = db_api.register(to_columns(b), dataset_display_name="b")
    linker = Linker([df_a, df_b], settings(), log_level=logging.WARNING)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("family", "given", "dob")], recall=0.8
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=7)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("dob"), record_sample_proportion=1.0
    )
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("given_ph", "family_ph"), record_sample_proportion=1.0
    )
    predictions = linker.inference.predict(threshold_match_weight=0.0)
    candidates = predictions.as_duckdbpyrelation().count("*").fetchall()[0][0]
    clusters = linker.clustering.cluster_using_single_best_links(
        predictions, duplicate_free_datasets=["a", "b"], threshold_match_weight=0.0
    )
    members = clusters.as_record_list()
    seconds = time.perf_counter() - start
    by_cluster = defaultdict(list)
    for m in members:
        by_cluster[m["cluster_id"]].append(m["unique_id"])
    person_a = {r["unique_id"]: r["_person"] for r in a}
    person_b = {r["unique_id"]: r["_person"] for r in b}
    predicted = correct = 0
    for ids in by_cluster.values():
        left = [i for i in ids if i in person_a]
        right = [i for i in ids if i in person_b]
        if left and right:
            predicted += 1
            pa, pb = person_a[left[0]], person_b[right[0]]
            correct += int(pa is not None and pa == pb)
    ca = Counter(r["_person"] for r in a if r["_person"] is not None)
    cb = Counter(r["_person"] for r in b if r["_person"] is not None)
    possible = sum(min(n, cb[p]) for p, n in ca.items() if p in cb)
    precision = correct / predicted if predicted else 1.0
    recall = correct / possible if possible else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "pair": name,
        "records_a": len(a),
        "records_b": len(b),
        "predicted": predicted,
        "correct": correct,
        "possible": possible,
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "predictions_above_threshold": candidates,
        "seconds": seconds,
    }


def main():
    city, out_path = Path(sys.argv[1]), Path(sys.argv[2])
    melde, alw, akdn, schild = select(city)
    truth = read_truth(city)
    start = time.perf_counter()
    m = records(city, [melde], truth, "m")
    a = records(city, [alw], truth, "a")
    k = records(city, [akdn], truth, "k")
    s = records(city, schild, truth, "s")
    read_seconds = time.perf_counter() - start
    pairs = []
    for name, left, right in (
        ("ALW × Meldewesen", a, m),
        ("AKDN × ALW", k, a),
        ("SchILD × ALW", s, a),
    ):
        result = link_pair(name, left, right)
        pairs.append(result)
        print(
            f"Splink {name}: P {result['precision']:.4f} R {result['recall']:.4f} "
            f"F1 {result['f1']:.4f} in {result['seconds']:.1f} s",
            file=sys.stderr,
        )
    import splink

    report = {
        "splink_version": splink.__version__,
        "files": [melde, alw, akdn] + schild,
        "read_seconds": read_seconds,
        "pairs": pairs,
    }
    out_path.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    print(json.dumps(report, ensure_ascii=False))


if __name__ == "__main__":
    main()
