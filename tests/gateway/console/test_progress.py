"""Progress of long jobs (issue 18 item 6): bulkImport's figure reaches the console, and so
does a re-embedding's, written beside its journal by the CLI in another process."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

from contracts.credentials import Vendor
from tests.gateway.console.test_session import sign_in
from tests.harness import enrol, gateway
from vendors.common.progress import JOBS, Jobs


def test_a_job_counts_what_is_done_and_what_failed():
    jobs = Jobs()
    job = jobs.start("bulkImport", "db from /images", 4)
    job.advance()
    job.advance(ok=False)
    assert (job.done, job.failed, job.percent, job.finished) == (2, 1, 50, None)
    job.finish()
    assert job.outcome == "finished" and job.finished is not None
    assert jobs.start("reembed", "x", 0).percent == 100


def test_finished_jobs_are_kept_only_a_few_at_a_time():
    jobs = Jobs()
    for n in range(30):
        jobs.start("bulkImport", str(n), 1).finish()
    running = jobs.start("bulkImport", "now", 1)
    listed = jobs.all()
    assert listed[0] is running and len(listed) <= 21


def test_a_bulk_import_reports_each_image_to_the_console(tmp_path: Path):
    images = tmp_path / "images"
    folder = images / "batch"
    folder.mkdir(parents=True)
    for name in ("a.jpg", "b.jpg", "c.jpg"):
        (folder / name).write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 64)  # unreadable images
    data = tmp_path / "var"
    admin = enrol(data, Vendor.admin)
    with gateway(data, image_root=images) as client:
        client.base_url = "http://127.0.0.1:8080"
        add = client.post("/ssid-feature/v2/addDb", data={"dbName": "bulkdb", "maxSize": "9"})
        assert add.json()["code"] == "0000"
        started = client.post(
            "/ssid-feature/v2/bulkImport", data={"dbId": "bulkdb", "data": "batch"}
        )
        assert started.json()["code"] == "0000"
        job = next(j for j in JOBS.all() if j.name.startswith("bulkdb from "))
        for _ in range(200):
            if job.finished is not None:
                break
            time.sleep(0.05)
        assert (job.total, job.done, job.failed, job.outcome) == (3, 3, 3, "finished")
        sign_in(client, admin)
        jobs = client.get("/console").text.split('id="jobs"')[1].split("</section>")[0]
    assert "bulkImport" in jobs and "bulkdb from" in jobs
    assert re.search(r"3/3 \(100%\)</span>, 3 failed", jobs)


def test_a_reembedding_under_way_shows_its_figure_and_the_page_refreshes(tmp_path: Path):
    data = tmp_path / "var"
    admin = enrol(data, Vendor.admin)
    (data / "reembed").mkdir(mode=0o700)
    status = {"name": "sensetime/olddb", "done": 40, "total": 160, "started": 0, "updated": 0}
    (data / "reembed" / "0123456789abcdef.progress.json").write_text(json.dumps(status))
    with gateway(data) as client:
        client.base_url = "http://127.0.0.1:8080"
        sign_in(client, admin)
        page = client.get("/console").text
    jobs = page.split('id="jobs"')[1].split("</section>")[0]
    assert "reembed" in jobs and "sensetime/olddb" in jobs and "40/160 (25%)" in jobs
    assert '<meta http-equiv="refresh" content="5">' in page
