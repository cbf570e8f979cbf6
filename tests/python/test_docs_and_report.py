"""The two pages people read: the dbt docs site (every model and column described, opened in a real
headless Chromium) and the segment report (self-contained, one set of plots per segment, no console errors).
Screenshots land in target/browser/ (not committed)."""

from __future__ import annotations

import functools
import http.server
import json
import re
import shutil
import subprocess
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import PROJECT_DIR, DbtProject

from predseg.report import build_report

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTEFACTS = PROJECT_DIR / "target" / "browser"
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="no chromium here: scripts/browser.sh installs it (needs root and apt-get)"
)


@contextmanager
def serving(folder: Path):
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def chromium(url: str, tmp: Path, screenshot: Path | None = None, wait_ms: int = 8000) -> tuple[str, str]:
    """The page's DOM after its scripts ran (and a screenshot), and Chromium's log (console messages)."""
    flags = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp / 'profile'}",
        "--enable-logging=stderr",
        "--v=0",
        f"--virtual-time-budget={wait_ms}",
        "--window-size=1300,2000",
    ]
    dom = subprocess.run([*flags, "--dump-dom", url], capture_output=True, text=True, timeout=120)
    if screenshot is not None:
        screenshot.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([*flags, f"--screenshot={screenshot}", url], capture_output=True, timeout=120)
    return dom.stdout, dom.stderr


def console_errors(log: str) -> list[str]:
    return [line for line in log.splitlines() if "CONSOLE" in line and ("ERROR" in line or "Uncaught" in line)]


@pytest.fixture(scope="module")
def docs(small_build: DbtProject) -> Path:
    small_build.dbt("docs", "generate")
    return small_build.workdir / "target"


def test_every_model_and_column_is_described(docs):
    manifest = json.loads((docs / "manifest.json").read_text())
    catalog = json.loads((docs / "catalog.json").read_text())
    missing = []
    for unique_id, node in manifest["nodes"].items():
        if node["resource_type"] not in ("model", "seed") or node["package_name"] != "predseg":
            continue
        if not node["description"].strip():
            missing.append(f"{unique_id}: no description")
        described = {name.lower() for name, column in node["columns"].items() if column["description"].strip()}
        built = catalog["nodes"].get(unique_id, {}).get("columns", {})
        assert built or not node["config"].get("enabled", True), f"{unique_id} is not in the catalog"
        missing += [f"{unique_id}.{column}" for column in built if column.lower() not in described]
    assert not missing, "undescribed:\n" + "\n".join(missing)
    assert manifest["docs"]["doc.predseg.__overview__"]["block_contents"].startswith("# predseg")
    exposures = {e["name"] for e in manifest["exposures"].values()}
    assert {"marketing_audiences", "segment_report", "segment_journeys"} <= exposures


@needs_chromium
def test_the_docs_site_shows_segment_members(docs, tmp_path):
    with serving(docs) as url:
        dom, _ = chromium(
            f"{url}/index.html#!/model/model.predseg.segment_members",
            tmp_path,
            ARTEFACTS / "docs_segment_members.png",
            wait_ms=15000,
        )
    assert "Who is in each segment today" in dom  # the model's description
    for column in ("member_rank", "reason_1", "is_holdout"):
        assert column in dom


@pytest.fixture(scope="module")
def report(small_build: DbtProject, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("report") / "report.html"
    out.write_text(build_report(small_build.database), encoding="utf-8")
    return out


def test_the_report_is_self_contained(report, small_build):
    text = report.read_text()
    assert not re.search(r"(src|href)\s*=\s*[\"'](https?:)?//", text), "the report links to the network"
    assert "<script" not in text
    segments = small_build.query("select segment_name from segment_model_report")["segment_name"]
    for name in segments:
        assert f'data-segment="{name}"' in text


@needs_chromium
def test_the_report_shows_a_plot_per_segment_without_console_errors(report, small_build, tmp_path):
    with serving(report.parent) as url:
        dom, log = chromium(f"{url}/{report.name}", tmp_path, ARTEFACTS / "report.png", wait_ms=3000)
    segments = small_build.query("select segment_name from segment_model_report")["segment_name"].tolist()
    sections = re.findall(r'<section class="segment" data-segment="([^"]+)">(.*?)</section>', dom, flags=re.S)
    assert [name for name, _ in sections] == sorted(segments)
    for name, body in sections:
        assert 'data-plot="precision_curve"' in body, name
        assert "<svg" in body
    for kind in ("calibration", "best_time_heatmap", "campaign_rules"):
        assert f'data-plot="{kind}"' in dom
    assert not console_errors(log), console_errors(log)
