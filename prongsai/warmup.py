"""Warm batch workers: the fork server of :mod:`prongsai.batch` imports this module.

:mod:`prongsai.runner` names it in the executor's ``preload``; the fork server imports
it once with :data:`prongsai.batch.WARM_ENV` set, and :func:`warm_up` then runs the
pipeline on a tiny plan so that its lazily loaded data (registry, vocabularies,
dictionaries) is in memory: every worker forked from the server starts warm and shares
that memory. Anywhere else, importing this module only imports the pipeline.
"""

from __future__ import annotations

import gc
import os
import tempfile
from pathlib import Path

from prongsai.batch import WARM_ENV
from prongsai.pipeline import process_file

_WARM_PLAN = """แผนปฏิบัติการป้องกันการทุจริต ประจำปีงบประมาณ พ.ศ. ๒๕๖๕
องค์การบริหารส่วนตำบลเมืองน้อย อำเภอธวัชบุรี จังหวัดร้อยเอ็ด
มิติที่ ๑ การสร้างสังคมที่ไม่ทนต่อการทุจริต
1. ชื่อโครงการ : โครงการอบรมคุณธรรม
8. งบประมาณดำเนินการ ๘,๕๐๐ บาท
9. ผู้รับผิดชอบ สำนักปลัด
"""


def warm_up() -> None:
    """Run the pipeline once on a tiny plan (and load the PDF backends and the page
    diagnosis's dictionary). Silences this process's standard output and error: call it
    in the fork server only. Never raises."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)  # the fork server and its workers print nothing on the terminal
        os.dup2(devnull, 2)
        os.close(devnull)
        with tempfile.TemporaryDirectory(prefix="prongsai-warm-") as d:
            p = Path(d) / "warm.txt"
            p.write_text(_WARM_PLAN, encoding="utf-8")
            process_file(p, "warm.txt")
        import prongsai.extract.docx  # noqa: F401 - backends imported lazily by read_document
        import prongsai.extract.pdf  # noqa: F401
        from prongsai.extract import diagnose

        diagnose.word_share("โครงการอบรมคุณธรรม")  # the PDF page diagnosis's dictionary and tokenizer
        diagnose.clear_caches()  # the tiny plan's lines are of no use to the workers
        freeze_long_lived()
    except Exception:  # noqa: BLE001 - only an optimisation
        pass


def freeze_long_lived() -> None:
    """Move every object alive now (the dictionaries, the registry, the tokenizer's trie:
    some 400,000 objects) out of the garbage collector's reach (``gc.freeze``).

    Without it every full collection walks them again: on the 84-page budget volume that
    was 0.13 s of a 1.8 s run, and 0.05 s after. In the fork server it also keeps the workers
    from writing to the memory pages they share with it (the collector would touch every
    object's header). Garbage is collected first, so none of it is kept for good.
    """
    gc.collect()
    gc.freeze()


if os.environ.get(WARM_ENV) == "1":  # in the fork server of the batch workers only
    os.environ.pop(WARM_ENV, None)
    warm_up()
