"""Browser suite: every internal link of the demo, on both sites, answers without an error.

A crawl from each site's home page follows links, assets and GET forms' actions on the demo's own hosts
(the default site answers on 127.0.0.1 and localhost, the Sichuan site on sichuan.localhost, all the same
server). Each path is fetched with at most a few query variants: the facility finder links to hundreds of
filter combinations served by one view."""

from collections import Counter
from html.parser import HTMLParser
from urllib.error import HTTPError
from urllib.parse import quote, urldefrag, urljoin, urlsplit
from urllib.request import Request, urlopen

import pytest

pytestmark = pytest.mark.browser

QUERY_VARIANTS_PER_PATH = 3
NOT_CRAWLED = ("/admin/", "/django-admin/")


class LinkParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("a", "link") and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag in ("img", "script", "source") and attrs.get("src"):
            self.links.append(attrs["src"])
        elif tag == "form" and (attrs.get("method") or "get").lower() == "get" and attrs.get("action"):
            self.links.append(attrs["action"])


def fetch(url, port):
    """(status, content type, body) of a URL on one of the demo's hosts, asked of the test server."""
    parts = urlsplit(url)
    request = Request(url.replace(parts.netloc, f"127.0.0.1:{port}", 1), headers={"Host": parts.netloc})
    try:
        with urlopen(request, timeout=30) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except HTTPError as error:
        return error.code, "", b""


def crawl(start, hosts, port):
    """Every internal URL reachable from start: {url: status}, and for each the page that linked it."""
    statuses, referrers, todo = {}, {start: "(start)"}, [start]
    variants = Counter()
    while todo:
        url = todo.pop()
        if url in statuses:
            continue
        status, content_type, body = fetch(url, port)
        statuses[url] = status
        if "html" not in content_type:
            continue
        parser = LinkParser()
        parser.feed(body.decode("utf-8", "replace"))
        for href in parser.links:
            # As a browser does: characters a URL cannot carry are percent-encoded.
            link = quote(urldefrag(urljoin(url, href))[0], safe=":/?&=%+,;@!$'()*~")
            parts = urlsplit(link)
            if parts.scheme not in ("http", "https") or parts.netloc not in hosts or link in referrers:
                continue
            if parts.path.startswith(NOT_CRAWLED):
                continue
            key = (parts.netloc, parts.path)
            if parts.query:
                if variants[key] >= QUERY_VARIANTS_PER_PATH:
                    continue
                variants[key] += 1
            referrers[link] = url
            todo.append(link)
    return statuses, referrers


@pytest.mark.parametrize("host", ["127.0.0.1", "sichuan.localhost"])
def test_no_internal_link_of_the_demo_answers_an_error(demo_server, host):
    port = urlsplit(demo_server).port
    hosts = {f"{name}:{port}" for name in ("127.0.0.1", "localhost", "sichuan.localhost")}
    statuses, referrers = crawl(f"http://{host}:{port}/", hosts, port)
    broken = [f"{status} {url} (linked from {referrers[url]})" for url, status in statuses.items() if status >= 400]
    assert broken == []
    # The crawl reached every section of the default site, whichever site it started from.
    paths = {urlsplit(url).path for url in statuses}
    for section in ("/facilities/", "/core-messages/", "/library/", "/campaigns/", "/contests/", "/privacy/"):
        assert section in paths
