"""Free text (styrkort.text): the stored format, the normaliser every write goes through,
the old HTML converted, and the HTML and plain renderers. Pure: no database."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from styrkort.text import (
    Bullets,
    Numbered,
    Para,
    Run,
    html_to_text,
    looks_like_html,
    normalise,
    normalise_line,
    parse,
    to_html,
    to_plain,
)

TYPED = "Vård & omsorg <3 >2"


# --- the write side -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        (TYPED, TYPED),
        ("  Vård & omsorg  \r\n\r\n\r\n\r\nrad två\r", "Vård & omsorg\n\nrad två"),
        ("a\x00b\x07c\x1bd\ufeffe\x85", "abcde"),
        ("Va\u030ard", "Vård"),  # composed (NFC)
        ("stycke ett\u2029stycke två\u2028rad", "stycke ett\n\nstycke två\nrad"),
        ("a < b och c > d, 5 < 7 & 8 > 6", "a < b och c > d, 5 < 7 & 8 > 6"),
        ("x <b and c> y", "x <b and c> y"),  # not HTML: no closing tag
        ("-11,2 %", "-11,2 %"),
        ("=1+2", "=1+2"),
        (None, ""),
        ("   ", ""),
    ],
)
def test_normalise_keeps_what_was_typed(typed, stored):
    assert normalise(typed) == stored


@pytest.mark.parametrize(
    ("old", "text"),
    [
        ("Vård &amp; omsorg &lt;3 &gt;2", TYPED),
        ("<p>Vård &amp; omsorg</p>\n<p>Rad två</p>", "Vård & omsorg\n\nRad två"),
        ("Första<br>andra<br/>tredje", "Första\nandra\ntredje"),
        ("rad ett\nrad två &amp; tre", "rad ett\nrad två & tre"),  # line breaks were shown
        ("<p>Åtgärder:</p><ul>\n<li>en</li>\n<li>två</li>\n</ul>", "Åtgärder:\n\n- en\n- två"),
        ("<ol><li>a</li><li>b</li></ol>", "1. a\n2. b"),
        ('<ol start="3"><li>c</li></ol>', "3. c"),
        ("Besöken <b>ökade</b> med <strong>5,0 %</strong>", "Besöken **ökade** med **5,0 %**"),
        ("<b>fet </b>text", "**fet** text"),
        ("<em>kursiv</em> och <i>lutande</i></p>", "kursiv och lutande"),
        (
            'Besöken ökade <script>alert(1)</script><b onclick="x()">5,0 %</b>',
            "Besöken ökade **5,0 %**",
        ),
        ("Diagrammet <script>x()</script>går inte", "Diagrammet går inte"),
        ("a&nbsp;b", "a\u00a0b"),
    ],
)
def test_old_html_becomes_plain_text(old, text):
    assert looks_like_html(old)
    assert normalise(old) == text


@pytest.mark.parametrize(
    "plain",
    [TYPED, "R&D", "a <b c", "<3", "1 < 2 > 0", "AT&T; & co", "e-post: <anna@example.se>"],
)
def test_plain_text_is_not_taken_for_html(plain):
    assert not looks_like_html(plain)
    assert normalise(plain) == plain


def test_normalise_line_makes_one_line():
    assert normalise_line("  Vård &amp;\n omsorg\t<3 ") == "Vård & omsorg <3"


# --- parsing ---------------------------------------------------------------------------


def test_paragraphs_lines_lists_and_bold():
    text = (
        "Åtgärder:\n- bättre **rutiner**\n* fler\n  läkare\n• tre\n– fyra\n"
        "Vi följer upp.\n\n3. tre\n\n4) fyra\n\nSista\nraden"
    )
    assert parse(text) == [
        Para(((Run("Åtgärder:"),),)),
        Bullets(
            (
                ((Run("bättre "), Run("rutiner", bold=True)),),
                ((Run("fler"),), (Run("läkare"),)),
                ((Run("tre"),),),
                ((Run("fyra"),),),
            )
        ),
        Para(((Run("Vi följer upp."),),)),
        Numbered((((Run("tre"),),), ((Run("fyra"),),)), start=3),
        Para(((Run("Sista"),), (Run("raden"),))),
    ]


@pytest.mark.parametrize(
    "text",
    ["-11,2 % mot i fjol", "2022. Året då", "**", "a ** b ** c", "** inte fet **", "1.5 dagar"],
)
def test_what_is_not_a_list_or_bold(text):
    (block,) = parse(text)
    assert block == Para(((Run(text),),))


# --- renderers -------------------------------------------------------------------------


def test_html_escapes_and_keeps_structure():
    text = f"{TYPED}\nrad två\n\n- ett **fet**\n- två\n\n5. fem"
    assert to_html(text) == (
        "<p>Vård &amp; omsorg &lt;3 &gt;2<br>rad två</p>"
        "<ul><li>ett <strong>fet</strong></li><li>två</li></ul>"
        '<ol start="5"><li>fem</li></ol>'
    )


def test_html_lead_and_class():
    assert to_html("- a", lead="Bedömning:", paragraph_class="note") == (
        '<p class="note">Bedömning:</p><ul class="note"><li>a</li></ul>'
    )
    assert to_html("Skäl.", lead="Bedömning: ● Uppfyllt.") == (
        "<p>Bedömning: ● Uppfyllt. Skäl.</p>"
    )


def test_plain_text_for_spreadsheets():
    text = f"{TYPED}\n\n- ett **fet**\n- två\n  forts\n\n1. a\n2. b"
    assert to_plain(text) == f"{TYPED}\n\n• ett fet\n• två\n  forts\n\n1. a\n2. b"


def test_script_is_text_everywhere():
    typed = '<script>alert("x")</script'  # no closing '>': plain text, not HTML
    assert normalise(typed) == typed
    assert "<script" not in to_html(typed)
    assert to_plain(typed) == typed


# --- invariants ----------------------------------------------------------------------

_TAG = re.compile(r"<(/?)(p|br|strong|ul|ol|li)( (start|class)=\"[^\"]*\")*>")
texts = st.lists(
    st.sampled_from([*"ab &<>;*-•1.) \n\t\r", "&amp;", "<b>", "</b>", "</p>", "<li>", "**"]),
    max_size=40,
).map("".join)


@given(texts)
def test_html_only_holds_its_own_tags(raw):
    html = to_html(normalise(raw))
    assert "<" not in _TAG.sub("", html)


@given(texts)
def test_normalise_is_stable(raw):
    stored = normalise(raw)
    if not looks_like_html(stored):
        assert normalise(stored) == stored


@given(texts)
def test_html_reads_back_as_the_same_text(raw):
    stored = normalise(raw)
    assert to_plain(html_to_text(to_html(stored))) == to_plain(stored)
