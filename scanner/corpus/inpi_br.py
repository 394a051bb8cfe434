"""Importer for INPI Brazil's RPI (Revista da Propriedade Industrial), Seção V Marcas XML (``RM<n>.xml``).

The RPI is a weekly gazette of decisions (*despachos*), not a register snapshot: an edition lists each
``<processo>`` that had a decision that week, often with only part of its data. So all the RPI editions
given to one build are *replayed in edition order* (``revista@numero``) and folded per process number:
later editions update the fields they carry (owner, mark, classes, dates) and status-changing decisions
set the status. The fold state lives in a small SQLite file in the build's work folder, so memory does not
grow with the number of processes.

Fields: mark ``marca/nome``; owner ``titulares/titular@nome-razao-social``; Nice classes
``classe-nice@codigo`` (2013 files) or ``lista-classe-nice/classe-nice``; goods ``especificacao`` (pt) and
``traducao-especificacao`` (Madrid cases, en); numbers ``processo@numero`` (the registration keeps the
process number); dates ``data-deposito``, ``data-concessao``, ``data-vigencia`` (DD/MM/YYYY), edition date
``revista@data``; Madrid cases ``dados-de-madri@numero-inscricao-internacional``. Jurisdiction ``BR``.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from lxml import etree

from ..numbers import ascii_digits
from . import uspto_codes as codes
from . import xml_records as xr
from .stats import ImportStats

_REVISTA = re.compile(rb"<revista\b[^>]*>")
_ATTR = re.compile(rb"""([\w-]+)\s*=\s*("[^"]*"|'[^']*')""")

#: Decision codes seen in real RPI data (REPORT.md) -> the status they leave the process in ("" = the
#: decision does not change the status, e.g. a petition granted).
DESPACHO_STATUS: dict[str, str] = {
    "IPAS009": "pending",  # publicação de pedido de registro para oposição
    "IPAS421": "pending",  # republicação de pedido para oposição
    "IPAS423": "pending",  # notificação de oposição para manifestação
    "IPAS142": "pending",  # sobrestamento do exame de mérito
    "IPAS158": "live",  # concessão de registro
    "IPAS161": "dead",  # extinção de registro pela expiração do prazo de vigência
    "IPAS270": "",  # deferimento de petição (a petition, not the mark's status)
}

#: For codes not in the table: words of the decision's name (``despacho@nome``, lower case, accents kept).
_NAME_RULES: tuple[tuple[str, str], ...] = (
    ("petição", ""),
    ("concessão de registro", "live"),
    ("prorrogação", "live"),
    ("indeferimento", "dead"),
    ("arquivamento", "dead"),
    ("extinção", "dead"),
    ("nulidade", "dead"),
    ("caducidade", "dead"),
    ("renúncia", "dead"),
    ("publicação de pedido", "pending"),
    ("republicação", "pending"),
    ("oposição", "pending"),
    ("sobrestamento", "pending"),
    ("exigência", "pending"),
)


def despacho_status(code: str, name: str = "") -> str | None:
    """The status a decision leaves the process in; "" = no change; None = unknown decision."""
    code = code.strip().upper()
    if code in DESPACHO_STATUS:
        return DESPACHO_STATUS[code]
    lowered = name.lower()
    for words, status in _NAME_RULES:
        if words in lowered:
            return status
    return None


def edition_of(source: Path) -> tuple[int, str]:
    """(``revista@numero``, ``revista@data`` as YYYYMMDD) of an RPI file, from its first bytes."""
    m = _REVISTA.search(xr.head_bytes(source, 4096))
    if not m:
        return 0, ""
    attrs = {k.decode(): v[1:-1].decode("utf-8", "replace") for k, v in _ATTR.findall(m.group(0))}
    numero = attrs.get("numero", "")
    number = int(numero) if ascii_digits(numero) else 0
    return number, xr.dmy_to_ymd(attrs.get("data", ""))


def parse_processo(element: Any) -> dict[str, Any]:
    """One ``<processo>`` -> the fields it carries (absent = not in this edition)."""
    out: dict[str, Any] = {"numero": (element.get("numero") or "").strip()}
    for attr, key in (("data-deposito", "filing_date"), ("data-concessao", "registration_date"),
                      ("data-vigencia", "expiry_date")):
        value = xr.dmy_to_ymd(element.get(attr) or "")
        if value:
            out[key] = value
    decisions = []
    for despacho in xr.children(xr.child(element, "despachos"), "despacho"):
        decisions.append(((despacho.get("codigo") or "").strip(), (despacho.get("nome") or "").strip()))
    out["despachos"] = decisions
    owners = [(t.get("nome-razao-social") or "").strip()
              for t in xr.children(xr.child(element, "titulares"), "titular")]
    if any(owners):
        out["owner"] = "; ".join(o for o in owners if o)
    marca = xr.child(element, "marca")
    if marca is not None:
        name = xr.text(marca, "nome")
        if name:
            out["mark"] = name
        if marca.get("apresentacao"):
            out["mark_feature"] = marca.get("apresentacao").strip()
    nice = xr.children(element, "classe-nice") + xr.children(xr.child(element, "lista-classe-nice"), "classe-nice")
    if nice:
        classes, pt, en = [], [], []
        for item in nice:
            value = codes.nice_class((item.get("codigo") or "").split(".")[0])
            if value is not None:
                classes.append(value)
            spec = xr.text(item, "especificacao")
            if spec:
                pt.append(spec)
            tr = xr.text(item, "traducao-especificacao")
            if tr:
                en.append(tr)
        out["classes"] = classes
        out["goods"] = {k: " | ".join(v) for k, v in (("pt", pt), ("en", en)) if v}
    madri = xr.child(element, "dados-de-madri")
    if madri is not None and madri.get("numero-inscricao-internacional"):
        out["madrid_number"] = madri.get("numero-inscricao-internacional").strip()
    return out


def fold(state: dict[str, Any], update: dict[str, Any], edition_date: str) -> dict[str, Any]:
    """Apply one edition's ``<processo>`` to the folded state of that process."""
    for key in ("filing_date", "registration_date", "expiry_date", "owner", "mark", "mark_feature",
                "madrid_number"):
        if update.get(key):
            state[key] = update[key]
    if "classes" in update:
        state["classes"] = sorted(set(update["classes"]))
        if update.get("goods"):
            state["goods"] = update["goods"]
    for code, name in update.get("despachos", []):
        status = despacho_status(code, name)
        if status is None:
            state["unknown_codes"] = state.get("unknown_codes", 0) + 1
            continue
        if status:
            state["status"] = status
            state["status_code"] = code
    state["transaction_date"] = edition_date or state.get("transaction_date", "")
    return state


def to_record(numero: str, state: dict[str, Any], source: str, today: str) -> dict[str, str]:
    status = state.get("status", "")
    expiry = state.get("expiry_date", "")
    if status == "live" and expiry and expiry < today:
        status = "dead"  # validity ended and no later edition extended it
    goods = state.get("goods", {})
    return {
        "mark": codes.clean_text(state.get("mark", "")),
        "owner": state.get("owner", ""),
        "nice_classes": codes.join_classes(state.get("classes", [])),
        "status": status,
        "jurisdiction": "BR",
        "serial_number": numero,
        "registration_number": numero if state.get("registration_date") else "",
        "kind": "",
        "source": source,
        "aliases": "",
        "goods_services": goods.get("pt", "") or goods.get("en", ""),
        "drawing_code": "",
        "status_code": state.get("status_code", ""),
        "filing_date": state.get("filing_date", ""),
        "registration_date": state.get("registration_date", ""),
        "transaction_date": state.get("transaction_date", ""),
        "languages": "pt",
        "goods_services_by_lang": json.dumps(goods, ensure_ascii=False, sort_keys=True) if goods else "",
        "designations": "",
        "owner_ids": "",
        "mark_feature": state.get("mark_feature", ""),
        "expiry_date": expiry,
        "_created": state.get("transaction_date", ""),
    }


def order_editions(files: Iterable[Path]) -> list[Path]:
    """RPI files in edition order (``revista@numero``, then name)."""
    return sorted(files, key=lambda p: (edition_of(p)[0], p.name))


def iter_rpi(
    files: Iterable[Path] | Path,
    *,
    stats: ImportStats | None = None,
    bar: Any = None,
    workdir: Path | None = None,
    today: str | None = None,
) -> Iterator[dict[str, str]]:
    """Replay RPI editions in order and yield one record per process number (its current state)."""
    files = [Path(files)] if isinstance(files, (str, Path)) else [Path(f) for f in files]
    stats = stats if stats is not None else ImportStats()
    today = today or _dt.date.today().strftime("%Y%m%d")
    xml_parser = xr.parser()
    with tempfile.TemporaryDirectory(dir=workdir) as folder:
        db = sqlite3.connect(Path(folder) / "rpi_fold.sqlite")
        db.execute("CREATE TABLE state (numero TEXT PRIMARY KEY, data TEXT NOT NULL)")
        entries = 0
        try:
            source_name = files[0].name if files else ""
            for source in order_editions(files):
                _number, edition_date = edition_of(source)
                for member, stream in xr.iter_members(source, "RPI XML"):
                    splitter = xr.RecordSplitter(stream, "processo")
                    last = 0
                    try:
                        for ordinal, chunk, complete in splitter:
                            entries += 1
                            if bar is not None and splitter.bytes_read != last:
                                bar.update(splitter.bytes_read - last)
                                last = splitter.bytes_read
                            if not complete:
                                stats.read += 1
                                stats.skip("malformed_record", path=member,
                                           detail=f"processo #{ordinal}: no </processo> end tag")
                                continue
                            try:
                                update = parse_processo(xr.parse_chunk(splitter, chunk, xml_parser))
                            except (etree.XMLSyntaxError, ValueError) as exc:
                                stats.read += 1
                                stats.skip("malformed_record", path=member, detail=f"processo #{ordinal}: {exc}")
                                continue
                            numero = update["numero"]
                            if not numero:
                                stats.read += 1
                                stats.skip("malformed_record", path=member,
                                           detail=f"processo #{ordinal}: no numero")
                                continue
                            row = db.execute("SELECT data FROM state WHERE numero = ?", (numero,)).fetchone()
                            state = json.loads(row[0]) if row else {}
                            state = fold(state, update, edition_date)
                            db.execute("INSERT OR REPLACE INTO state VALUES (?, ?)",
                                       (numero, json.dumps(state, ensure_ascii=False)))
                    except xr.READ_ERRORS as exc:
                        raise xr.read_error(member, source, exc) from None
                    stats.bytes_read += splitter.bytes_read
                    if bar is not None and splitter.bytes_read != last:
                        bar.update(splitter.bytes_read - last)
            db.commit()
            processes = db.execute("SELECT COUNT(*) FROM state").fetchone()[0]
            if entries > processes:  # entries: the gazette's <processo> blocks that parsed
                stats.note(f"INPI RPI: {entries:,} gazette entries replayed in edition order into "
                           f"{processes:,} processes (one record each, its current state)")
            for numero, data in db.execute("SELECT numero, data FROM state ORDER BY numero"):
                state = json.loads(data)
                if state.get("unknown_codes"):
                    stats.flags["despacho_unknown"] += 1
                record = to_record(numero, state, source_name, today)
                stats.read += 1  # one record per process: records_read = kept + skipped still holds
                if not record["status"]:
                    stats.flags["status_unknown"] += 1
                stats.yielded += 1
                yield record
        finally:
            db.close()
