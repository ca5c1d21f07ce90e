#!/usr/bin/env python3
"""report_check.py REPORT.html: structural checks of a trawl-report file, for tests/cli/triage_test.sh.

Parses the HTML (html.parser, so text that merely looks like markup is not mistaken for it) and prints one
line per problem: a tag that loads or runs something (script, link, iframe, object, embed, base, form, a
meta refresh), an event-handler attribute, an attribute or style that refers to anything but the report
itself (#fragment) or an embedded PNG (data:image/png), bytes that are not UTF-8. Exit status 1 with problems.
With --counts it prints instead one line per element with data-count: 'ID COUNT' (sections and their parts).
"""
import re
import sys
from html.parser import HTMLParser

kBadTags = {"script", "link", "iframe", "frame", "object", "embed", "base", "form", "applet", "audio", "video",
            "source", "track", "portal"}
kUrlAttrs = {"src", "href", "action", "poster", "srcset", "xlink:href", "background", "formaction", "data",
             "cite", "longdesc", "manifest", "ping", "lowsrc", "dynsrc"}
kUrlInCss = re.compile(r"url\s*\(|@import|expression\s*\(", re.I)
kDataPng = re.compile(r"url\(\s*['\"]?data:image/png;base64,", re.I)


class Checker(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []
        self.counts = []
        self.in_style = False

    def handle_starttag(self, tag, attrs):
        if tag in kBadTags:
            self.problems.append("tag <%s>" % tag)
        if tag == "style":
            self.in_style = True
        attrs = dict(attrs)
        if tag == "meta" and (attrs.get("http-equiv") or "").lower() == "refresh":
            self.problems.append("meta refresh")
        for name, value in attrs.items():
            value = value or ""
            if name.startswith("on"):
                self.problems.append("event handler %s= on <%s>" % (name, tag))
            if name in kUrlAttrs:
                v = value.strip()
                if not (v.startswith("#") or v.startswith("data:image/png;base64,")):
                    self.problems.append("%s=%r on <%s>" % (name, v[:60], tag))
            if name == "style" and kUrlInCss.search(value) and not kDataPng.search(value):
                self.problems.append("style with a reference on <%s>" % tag)
            if name == "data-count" and "id" in attrs:
                self.counts.append((attrs["id"], value))

    def handle_endtag(self, tag):
        if tag == "style":
            self.in_style = False

    def handle_data(self, data):
        if self.in_style and kUrlInCss.sub("", data) != data:
            self.problems.append("stylesheet with url(), @import or expression()")


def main():
    args = sys.argv[1:]
    counts = args[:1] == ["--counts"]
    path = args[-1]
    raw = open(path, "rb").read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        print("not UTF-8: %s" % e)
        return 1
    c = Checker()
    c.feed(text)
    c.close()
    if counts:
        for ident, value in c.counts:
            print(ident, value)
        return 0
    for p in c.problems:
        print(p)
    return 1 if c.problems else 0


sys.exit(main())
