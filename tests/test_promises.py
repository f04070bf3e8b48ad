"""The promises map (docs/promises.yaml) is complete and true: every
promise of the seed documents (the list below, taken from ../shared/seeds/)
has a row; every row names the code that keeps it and tests that exist;
every quote is in its seed; every sentence a row says our policies publish
is in them; and docs/privacy-mapping.md is generated from the map."""

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings

from consents.privacy.management.commands.privacy_mapping import TARGET, load, render

ROOT = Path(settings.BASE_DIR)
SEEDS = ROOT.parent / "shared" / "seeds"
STATUSES = {"kept", "different", "organisational"}
REQUIRED = {"id", "seed", "article", "promise", "quote", "code", "tests", "status"}

# The checklist: one id per concrete promise of the seeds (each right,
# purpose, cookie rule, retention rule, channel, deadline). A promise found
# later is added here first; the map then needs its row.
PROMISE_IDS = [
    # Seed 004
    "004-laws",
    "004-1-1-social-login",
    "004-1-1-profile",
    "004-1-2-prior-consent",
    "004-1-2-purpose",
    "004-1-2-agreement",
    "004-1-3-consent",
    "004-1-3-1-job-openings",
    "004-1-3-2-new-services",
    "004-1-3-3-living-in-japan",
    "004-1-3-4-service-changes",
    "004-1-3-5-articles",
    "004-1-3-6-work-surveys",
    "004-1-3-7-site-surveys",
    "004-1-4-inquiries",
    "004-1-5-gifts",
    "004-1-6-statistics",
    "004-1-7-entrustment",
    "004-2-cookie-consent",
    "004-2-stay-signed-in",
    "004-2-advertising",
    "004-2-3-refuse-any-time",
    "004-2-4-no-disadvantage",
    "004-3-google-analytics",
    "004-4-clarity",
    "004-5-joint-use",
    "004-6-1-security",
    "004-6-2-staff-supervision",
    "004-7-processors",
    "004-8-retention",
    "004-9-third-parties",
    "004-10-appi-requests",
    "004-11-1-channels",
    "004-11-1-business-days",
    "004-11-2-paper-form",
    "004-11-3-no-fee",
    "004-11-4-identity-documents",
    "004-11-4-representatives",
    "004-gdpr-bases",
    "004-gdpr-no-transfer",
    "004-gdpr-processors",
    "004-gdpr-15-access",
    "004-gdpr-16-rectification",
    "004-gdpr-17-erasure",
    "004-gdpr-18-restriction",
    "004-gdpr-21-objection",
    "004-gdpr-20-portability",
    "004-gdpr-22-automated",
    "004-gdpr-authority",
    "004-ccpa-know",
    "004-ccpa-categories",
    "004-ccpa-delete",
    "004-ccpa-no-sale",
    "004-ccpa-non-discrimination",
    "004-ccpa-service-providers",
    "004-ccpa-contact",
    "004-34-revisions",
    "004-japanese-prevails",
    "004-terms-agree",
    "004-terms-screening",
    "004-terms-refusal-reason",
    "004-terms-suspension",
    "004-terms-change-details",
    "004-terms-prohibited-content",
    "004-terms-withdrawal",
    "004-terms-end-notice",
    "004-terms-service-changes",
    "004-terms-alteration",
    "004-terms-antisocial",
    "004-terms-japanese",
    "004-cookie-banner",
    # Seed 000
    "000-japanese-prevails",
    "000-statistics",
    "000-joint-use",
    "000-anonymised-provision",
    "000-requests",
    "000-identity",
    "000-fee",
    "000-contact-form",
    # Seed 001
    "001-japanese-prevails",
    "001-residence-card",
    "001-purpose-limit",
    "001-cookie-opt-out",
    "001-fair-acquisition",
    "001-analytics-module",
    "001-no-disclosure",
    "001-disclosure-fee",
    "001-suspension",
    "001-contact",
    "001-changes",
    # Seed 002
    "002-contact-form",
    "002-cookie-choice",
    "002-newsletter",
    "002-no-selling",
    "002-retention-10-years",
    "002-rights",
    "002-complaint",
    "002-no-fee",
    "002-children",
    "002-changes-posted",
    "002-contact-address",
    # Seed 003
    "003-consent-beyond-purpose",
    "003-refuse-misuse",
    "003-commissioning",
    "003-disclosure",
    "003-correction",
    "003-suspension",
    "003-complaints",
    "003-fee",
    "003-security",
    "003-breach-report",
    "003-contact-hours",
    "003-changes",
]

ROWS = load(ROOT)


def _normalise(text: str) -> str:
    """Whitespace and typographic quotes do not count."""
    for curly, straight in (("’", "'"), ("‘", "'"), ("“", '"'), ("”", '"')):
        text = text.replace(curly, straight)
    return " ".join(text.split())


def _defined_tests(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test_")
    }


def test_every_promise_id_is_in_the_map_once():
    ids = [row.get("id") for row in ROWS]
    assert len(ids) == len(set(ids)), "duplicate ids"
    assert len(PROMISE_IDS) == len(set(PROMISE_IDS))
    missing = sorted(set(PROMISE_IDS) - set(ids))
    unlisted = sorted(set(ids) - set(PROMISE_IDS))
    assert not missing, f"promises without a row in docs/promises.yaml: {missing}"
    assert not unlisted, f"rows whose id is not on the checklist (add it to PROMISE_IDS): {unlisted}"


def test_the_closest_model_is_covered_in_full():
    assert sum(1 for row in ROWS if row["seed"] == "004") >= 47


@pytest.mark.parametrize("row", ROWS, ids=[row.get("id", "?") for row in ROWS])
def test_every_row_names_the_code_that_keeps_it_and_the_tests_that_prove_it(row):
    assert set(row) >= REQUIRED, f"missing fields: {REQUIRED - set(row)}"
    assert row["status"] in STATUSES
    if row["status"] != "kept":
        assert str(row.get("reason", "")).strip(), "a promise we do differently says why"
    assert row["code"], "names no code"
    for item in row["code"]:
        path, _, symbol = item.partition("::")
        assert (ROOT / path).is_file(), f"no file {path}"
        if symbol:
            assert re.search(rf"\b{re.escape(symbol)}\b", (ROOT / path).read_text(encoding="utf-8")), (
                f"{symbol} is not in {path}"
            )
    assert row["tests"], "names no test"
    for item in row["tests"]:
        path, _, name = item.partition("::")
        assert name, f"{item}: name the test function (path::test_name)"
        assert (ROOT / path).is_file(), f"no test file {path}"
        assert name in _defined_tests(ROOT / path), f"{path} has no test {name}"


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed documents are not beside the repository")
@pytest.mark.parametrize("row", ROWS, ids=[row["id"] for row in ROWS])
def test_every_quote_is_in_its_seed(row):
    [seed] = SEEDS.glob(f"{row['seed']}_*.txt")
    assert _normalise(row["quote"]) in _normalise(seed.read_text(encoding="utf-8"))


def test_the_published_texts_state_each_promise():
    """Where a row says our published policy or terms state a promise, they do."""
    texts = _normalise(
        " ".join(p.read_text(encoding="utf-8") for p in (ROOT / "consents" / "policy_texts").glob("*.en.md"))
    )
    stated = [row for row in ROWS if row.get("policy_text")]
    assert stated
    missing = [row["id"] for row in stated if _normalise(row["policy_text"]) not in texts]
    assert not missing


def test_the_mapping_document_is_generated_from_the_map():
    assert (ROOT / TARGET).read_text(encoding="utf-8") == render(ROWS), (
        "docs/privacy-mapping.md is out of date: run `manage.py privacy_mapping`"
    )


def test_the_check_fails_on_a_row_without_tests_or_with_a_test_that_does_not_exist():
    """The checks above can fail: a row naming no test, or a test that does not exist."""
    broken = dict(ROWS[0], tests=[])
    with pytest.raises(AssertionError, match="names no test"):
        test_every_row_names_the_code_that_keeps_it_and_the_tests_that_prove_it(broken)
    broken = dict(ROWS[0], tests=["tests/test_promises.py::test_that_does_not_exist"])
    with pytest.raises(AssertionError, match="has no test"):
        test_every_row_names_the_code_that_keeps_it_and_the_tests_that_prove_it(broken)
