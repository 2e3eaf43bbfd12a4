"""stemma.read_html: a web page as an article, read as `stemma analyze` reads `.html` files."""

import html
import re

import pytest

import stemma
from conftest import demo_meta, demo_text, run_json


def page(name, with_time=True):
    """A news page around a demo article: its paragraphs, with menus, a share bar and a footer
    around them, its title and publisher in the head and, if asked, its time."""
    meta = demo_meta()[name]
    paragraphs = [p for p in demo_text(name).split("\n\n") if p.strip()][1:]
    body = "".join(f"<p>{html.escape(p.strip())}</p>\n" for p in paragraphs)
    time = (
        f'<meta property="article:published_time" content="{meta["published"]}">'
        if with_time
        else ""
    )
    return f"""<!doctype html><html><head><title>{html.escape(meta["title"])} | {meta["publisher"]}</title>
<meta property="og:site_name" content="{meta["publisher"]}">
<link rel="canonical" href="{meta["url"]}">{time}</head>
<body><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<article><h1>{html.escape(meta["title"])}</h1>
{body}</article>
<div class="share">Share on Facebook | Share on X | Email</div>
<footer>Copyright {meta["publisher"]}. All rights reserved.</footer></body></html>"""


def test_a_page_gives_its_main_text_and_facts():
    article = stemma.read_html("wire", page("wire"))
    meta = demo_meta()["wire"]
    assert article["id"] == "wire"
    assert article["publisher"] == meta["publisher"]
    assert article["url"] == meta["url"]
    assert meta["title"] in article["title"]
    assert (article["published"], article["published_from"]) == ("2025-03-03T08:12:00Z", "page")
    assert "forcing about 4,200 people from their homes" in article["text"]
    assert "<p>" not in article["text"]
    assert "Share on Facebook" not in article["text"] and "Sport" not in article["text"]
    assert set(article) == {"id", "text", "title", "publisher", "url", "published", "published_from"}


def test_a_page_without_a_time():
    article = stemma.read_html("spun", page("spun", with_time=False))
    assert article["published"] is None and article["published_from"] is None


def test_pages_analysed_equal_the_cli_on_the_html_files(stemma_bin, tmp_path):
    pages = {"wire": page("wire"), "syndicated": page("syndicated"), "spun": page("spun", False)}
    for name, source in pages.items():
        (tmp_path / f"{name}.html").write_text(source, encoding="utf-8")
    expected = run_json(stemma_bin, "analyze", tmp_path, "--format", "json")
    report = stemma.analyze([stemma.read_html(name, source) for name, source in pages.items()])
    assert report == expected
    assert report["pairs"], "the pages reuse each other's text"


def test_bad_pages_and_ids():
    with pytest.raises(ValueError, match=re.escape('read_html: "id" is empty')):
        stemma.read_html("", page("wire"))
    with pytest.raises(TypeError, match="html must be a str, not bytes"):
        stemma.read_html("wire", b"<html></html>")
    deep = "<div>" * 100_000 + "text" + "</div>" * 100_000
    with pytest.raises(ValueError, match=re.escape('"deep": ')):
        stemma.read_html("deep", deep)
