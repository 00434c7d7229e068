"""Diagram labels go through the page's catalog: extracted by gettext, substituted when rendered."""

from __future__ import annotations

from pathlib import Path

import polib

from l3ha_guide.i18n.mermaid_labels import find_labels, translate

FLOWCHART = """---
config:
  theme: neutral
---
flowchart LR
  %% a comment with "quotes" stays
  controller["Controller node"] --- mgmt(["Management network"])
  n1[Network node 1] -- "VRRP over VXLAN" --> n2{{Network node 2}}
  n1 -->|HA network| db[(Database)]
  subgraph project ["Project network"]
    vm((Instance))
  end
  classDef master fill:#cfc
  style n1 stroke:#060
"""

SEQUENCE = """sequenceDiagram
  participant M as Master router
  actor U as Operator
  M->>B: VRRP advertisement, priority 50
  Note over M,B: HA network
  loop Every 2 s
    B-->>M: no reply
  end
"""


def test_flowchart_labels_are_found_and_nothing_else() -> None:
    assert [label.text for label in find_labels(FLOWCHART)] == [
        "Controller node",
        "Management network",
        "Network node 1",
        "VRRP over VXLAN",
        "Network node 2",
        "HA network",
        "Database",
        "Project network",
        "Instance",
    ]


def test_sequence_diagram_labels_are_found() -> None:
    assert [label.text for label in find_labels(SEQUENCE)] == [
        "Master router",
        "Operator",
        "VRRP advertisement, priority 50",
        "HA network",
        "Every 2 s",
        "no reply",
    ]


def test_translate_replaces_labels_and_keeps_the_structure() -> None:
    translated = translate(
        FLOWCHART,
        {
            "Network node 1": "ネットワークノード 1",
            "HA network": "HA ネットワーク",
            "Database": 'データ"ベース',
        },
    )
    assert 'n1["ネットワークノード 1"] -- "VRRP over VXLAN" --> n2{{Network node 2}}' in translated
    assert 'n1 -->|"HA ネットワーク"| db[("データ#quot;ベース")]' in translated
    assert translated.startswith("---\nconfig:\n  theme: neutral\n---\n")
    assert '%% a comment with "quotes" stays' in translated
    assert "style n1 stroke:#060" in translated


def test_sequence_messages_are_replaced_in_place() -> None:
    translated = translate(SEQUENCE, {"VRRP advertisement, priority 50": "VRRP 広告、優先度 50"})
    assert "  M->>B: VRRP 広告、優先度 50\n" in translated


def test_gettext_extracts_the_labels_and_the_alt_text(fixture_gettext: Path) -> None:
    catalog = polib.pofile(str(fixture_gettext / "index.pot"))
    msgids = {entry.msgid for entry in catalog}
    labels = {"Network node 1", "VRRP", "Network node 2", "Two network nodes joined by the HA network"}
    assert labels <= msgids, msgids
    assert all(entry.occurrences for entry in catalog if entry.msgid in labels)


def test_the_japanese_diagram_shows_the_translated_labels(fixture_html_ja: Path) -> None:
    svgs = list((fixture_html_ja / "_images").glob("*.svg"))
    assert len(svgs) == 1, svgs
    svg = svgs[0].read_text(encoding="utf-8")
    assert "ネットワークノード 1" in svg and "ネットワークノード 2" in svg
    assert "Network node" not in svg
    page = (fixture_html_ja / "index.html").read_text(encoding="utf-8")
    assert '<p class="warning">HA ネットワークでつながった 2 台のネットワークノード' in page
