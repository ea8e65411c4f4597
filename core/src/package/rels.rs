//! Relationship parts (`_rels/*.rels`, ECMA-376 Part 2 §9.3): each relationship's id,
//! type URI and target, the target resolved to a part name.
//!
//! A `.rels` part is small and cost, through the general XML reader, more than half as
//! much to parse as to inflate (about 20 instructions a byte: every attribute split and
//! every value scanned for references by calls of their own). Nearly every one has the
//! plain form producers write: tags in one or two levels, double-quoted attributes, no
//! reference or line break in the values that count. [`parse`] reads that form in one
//! pass of its own ([`parse_plain`]) and hands anything else (comments, references,
//! single quotes, deeper nesting, malformed markup) to the general reader, which decides
//! and words any error. In debug builds (tests, fuzzing) both run and must agree.

use memchr::memchr;

use crate::error::Result;
use crate::xml::{Reader, Token, attribute_value, past_terminator};

/// The relationships of one part (internal targets only), their strings kept back to
/// back in one buffer: one allocation per `.rels` part instead of three per relationship.
#[derive(Default, Debug, PartialEq, Eq)]
pub struct Relationships {
    /// Every relationship's id, type URI and resolved target part name, in that order.
    text: String,
    /// Where each relationship's strings end in `text`: `[id, type, target]`.
    ends: Vec<[usize; 3]>,
}

/// One relationship of a part: its id, type URI and resolved target part name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Relationship<'r> {
    pub id: &'r str,
    pub rel_type: &'r str,
    pub target: &'r str,
}

impl Relationships {
    /// The relationships in document order.
    pub fn iter(&self) -> impl Iterator<Item = Relationship<'_>> {
        let mut start = 0;
        self.ends.iter().map(move |&[id, rel_type, target]| {
            let r = Relationship {
                id: &self.text[start..id],
                rel_type: &self.text[id..rel_type],
                target: &self.text[rel_type..target],
            };
            start = target;
            r
        })
    }

    /// Target part of the first relationship whose type ends with `suffix`.
    pub fn target_of_type(&self, suffix: &str) -> Option<&str> {
        self.iter()
            .find(|r| r.rel_type.ends_with(suffix))
            .map(|r| r.target)
    }

    /// Room for the relationships of a part of `len` bytes: their strings are shorter
    /// than its markup, and a target grows by at most the directory and a `/`.
    fn with_capacity(len: usize) -> Self {
        Self {
            text: String::with_capacity(len),
            ends: Vec::new(),
        }
    }

    /// Appends a relationship: `id` and `rel_type` as given, `target` resolved against
    /// the source part's directory `dir` (see [`resolve_into`]).
    fn push(&mut self, id: &str, rel_type: &str, dir: &str, target: &str) {
        self.text.push_str(id);
        let id_end = self.text.len();
        self.text.push_str(rel_type);
        let type_end = self.text.len();
        resolve_into(&mut self.text, dir, target);
        self.ends.push([id_end, type_end, self.text.len()]);
    }
}

/// The relationships in `xml`, the text of the `.rels` part `name` of a part in directory
/// `dir`: every `Relationship` element (any prefix) but those with
/// `TargetMode="External"`, its targets resolved; the first of each attribute counts.
///
/// Errors: as [`Reader::next`] for malformed XML or nesting deeper than `max_depth`.
pub fn parse(xml: &str, name: &str, dir: &str, max_depth: u32) -> Result<Relationships> {
    match parse_plain(xml, dir, max_depth) {
        Some(rels) => {
            debug_assert_eq!(
                parse_general(xml, name, dir, max_depth).ok().as_ref(),
                Some(&rels)
            );
            Ok(rels)
        }
        None => parse_general(xml, name, dir, max_depth),
    }
}

/// [`parse`] through the general XML reader.
fn parse_general(xml: &str, name: &str, dir: &str, max_depth: u32) -> Result<Relationships> {
    let mut reader = Reader::new(xml, name, max_depth);
    let mut rels = Relationships::with_capacity(xml.len());
    while let Some(token) = reader.next()? {
        let (Token::Empty(e) | Token::Start(e)) = token else {
            continue;
        };
        if e.local() != "Relationship" {
            continue;
        }
        // One pass over the attributes; the first of each name counts (as `Tag::attribute`).
        let [mut id, mut rel_type, mut target, mut mode] = [None; 4];
        for (name, raw) in e.raw_attributes() {
            let slot = match name {
                "Id" => &mut id,
                "Type" => &mut rel_type,
                "Target" => &mut target,
                "TargetMode" => &mut mode,
                _ => continue,
            };
            slot.get_or_insert(raw);
        }
        if mode.map(attribute_value).as_deref() == Some("External") {
            continue;
        }
        let [id, rel_type, target] =
            [id, rel_type, target].map(|raw| raw.map(attribute_value).unwrap_or_default());
        rels.push(&id, &rel_type, dir, &target);
    }
    Ok(rels)
}

/// Whether byte `b` may stand in a name (element or attribute) of [`parse_plain`]'s
/// grammar: printable ASCII but `"'<>/=`.
static NAME: [bool; 256] = {
    let mut name = [false; 256];
    let mut b = b'!';
    while b <= b'~' {
        name[b as usize] = !matches!(b, b'"' | b'\'' | b'<' | b'>' | b'/' | b'=');
        b += 1;
    }
    name
};

/// White space in a tag: space, tab, line feed, carriage return.
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// Whether the raw attribute value `value` is its own decoded value: no reference (`&`)
/// and no tab, line feed or carriage return (which [`attribute_value`] turns into
/// spaces). A fold without early exit, so that it vectorises.
fn is_literal(value: &[u8]) -> bool {
    !value.iter().fold(false, |seen, &b| {
        seen | matches!(b, b'&' | b'\t' | b'\n' | b'\r')
    })
}

/// The name at `at` in `bytes` (see [`NAME`]): where it ends, and where its local part
/// starts (after the first `:`, else at `at`).
fn scan_name(bytes: &[u8], at: usize) -> (usize, usize) {
    let (mut end, mut local) = (at, at);
    while let Some(&b) = bytes.get(end).filter(|&&b| NAME[usize::from(b)]) {
        end += 1;
        if b == b':' && local == at {
            local = end;
        }
    }
    (end, local)
}

/// [`parse`] for the plain form, `None` for anything else. The grammar accepted is one
/// on which [`Reader`] and [`parse_general`] give the same relationships without error:
///
/// - text (anything but `<`) between markup; processing instructions `<?…?>` (skipped);
///   no comment, CDATA section or declaration (`<!`);
/// - a start tag only outside every element (depth 0 → 1, within `max_depth` ≥ 2), empty
///   elements at depth 0 or 1, an end tag `</name>` that repeats the open element's name
///   exactly; nothing open at the end;
/// - names of printable ASCII without `"'<>/=`; attributes `name="value"`, each after
///   white space, the value anything but `"` (the reader, too, finds the tag's `>` outside
///   quotes); after the attributes, optional white space and `>` or `/>`;
/// - the `Id`, `Type`, `Target` and `TargetMode` of a `Relationship` (the first of each)
///   without `&`, tab, line feed or carriage return: values that decode to themselves.
fn parse_plain(xml: &str, dir: &str, max_depth: u32) -> Option<Relationships> {
    if max_depth < 2 {
        return None;
    }
    let bytes = xml.as_bytes();
    let mut rels = Relationships::with_capacity(xml.len());
    // The open element's name, when one is.
    let mut open: Option<&[u8]> = None;
    let mut at = 0;
    while at < bytes.len() {
        // Markup usually follows markup: look for text only when there is some.
        if bytes[at] != b'<' {
            match memchr(b'<', &bytes[at..]) {
                Some(text) => at += text,
                None => break,
            }
        }
        match bytes.get(at + 1) {
            Some(b'?') => at = past_terminator(bytes, at, b"?>")?,
            Some(b'!') => return None,
            Some(b'/') => {
                let name = open.take()?;
                let end = at + 2 + name.len();
                if bytes.get(at + 2..end) != Some(name) || bytes.get(end) != Some(&b'>') {
                    return None;
                }
                at = end + 1;
            }
            _ => {
                let (name_end, local) = scan_name(bytes, at + 1);
                let name = &bytes[at + 1..name_end];
                if name.is_empty() {
                    return None;
                }
                let wanted = &bytes[local..name_end] == b"Relationship";
                // The first of each: Id, Type, Target, TargetMode (byte ranges).
                let mut values: [Option<(usize, usize)>; 4] = [None; 4];
                let mut i = name_end;
                let empty = loop {
                    let spaced = bytes.get(i).copied().is_some_and(is_space);
                    while bytes.get(i).copied().is_some_and(is_space) {
                        i += 1;
                    }
                    match *bytes.get(i)? {
                        b'>' => break false,
                        b'/' if bytes.get(i + 1) == Some(&b'>') => {
                            i += 1;
                            break true;
                        }
                        _ if !spaced => return None,
                        _ => {}
                    }
                    let (attr_end, attr_local) = scan_name(bytes, i);
                    if attr_end == i || bytes.get(attr_end..attr_end + 2) != Some(b"=\"") {
                        return None;
                    }
                    let start = attr_end + 2;
                    let end = start + memchr(b'"', &bytes[start..])?;
                    i = end + 1;
                    if !wanted {
                        continue;
                    }
                    let slot = match &bytes[attr_local..attr_end] {
                        b"Id" => &mut values[0],
                        b"Type" => &mut values[1],
                        b"Target" => &mut values[2],
                        b"TargetMode" => &mut values[3],
                        _ => continue,
                    };
                    if slot.is_none() {
                        if !is_literal(&bytes[start..end]) {
                            return None;
                        }
                        *slot = Some((start, end));
                    }
                };
                at = i + 1;
                if !empty {
                    if open.is_some() {
                        return None;
                    }
                    open = Some(name);
                }
                if wanted {
                    // Every index in `values` is at a `"` or just after one: char boundaries.
                    let [id, rel_type, target, mode] =
                        values.map(|v| v.map_or("", |(start, end)| &xml[start..end]));
                    if mode != "External" {
                        rels.push(id, rel_type, dir, target);
                    }
                }
            }
        }
    }
    open.is_none().then_some(rels)
}

/// Appends to `out` the part name of a relationship `target` resolved against the source
/// part's directory `dir`: absolute targets start with `/`; `..` and `.` segments are
/// folded; the segments are joined by `/`. Built in place: no list of segments.
fn resolve_into(out: &mut String, dir: &str, target: &str) {
    let start = out.len();
    let push = |out: &mut String, segment: &str| {
        if out.len() > start {
            out.push('/');
        }
        out.push_str(segment);
    };
    if !target.starts_with('/') {
        for segment in dir.split('/').filter(|s| !s.is_empty()) {
            push(out, segment);
        }
    }
    for segment in target.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                let last = out[start..].rfind('/').map_or(start, |i| start + i);
                out.truncate(last);
            }
            s => push(out, s),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Relationships, parse, parse_general, parse_plain, resolve_into};

    fn resolve(dir: &str, target: &str) -> String {
        let mut out = String::from("kept");
        resolve_into(&mut out, dir, target);
        out.strip_prefix("kept").unwrap().to_owned()
    }

    #[test]
    fn resolves_relative_and_absolute_targets() {
        assert_eq!(resolve("", "word/document.xml"), "word/document.xml");
        assert_eq!(resolve("", "/word/document2.xml"), "word/document2.xml");
        assert_eq!(resolve("word", "media/image1.png"), "word/media/image1.png");
        assert_eq!(resolve("word", "../docProps/core.xml"), "docProps/core.xml");
        assert_eq!(resolve("word", "./styles.xml"), "word/styles.xml");
        assert_eq!(resolve("word/sub", "../../../a//b/./c"), "a/b/c");
        assert_eq!(resolve("", ".."), "");
        assert_eq!(resolve("", ""), "");
    }

    fn triples(rels: &Relationships) -> Vec<(&str, &str, &str)> {
        rels.iter().map(|r| (r.id, r.rel_type, r.target)).collect()
    }

    #[test]
    fn plain_parts_are_read_by_the_fast_path() {
        let xml = concat!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n",
            "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">",
            "<Relationship Id=\"rId2\" Type=\"http://x/styles\" Target=\"styles.xml\"/>",
            "\n  <r:Relationship r:Target=\"../a.xml\" Target=\"b.xml\" Id=\"rId3\" Type=\"t\" />",
            "<Relationship Id=\"rId4\" Type=\"http://x/hyperlink\" Target=\"http://e.com/?a=1\" TargetMode=\"External\"/>",
            "<Relationship Id=\"rId5\" Target=\"/Ü.xml\"/>",
            "</Relationships>"
        );
        let rels = parse_plain(xml, "word", 2).expect("plain");
        assert_eq!(
            triples(&rels),
            [
                ("rId2", "http://x/styles", "word/styles.xml"),
                ("rId3", "t", "a.xml"),
                ("rId5", "", "Ü.xml"),
            ]
        );
        assert_eq!(parse_general(xml, "r.rels", "word", 2).ok(), Some(rels));
        let rels = parse(xml, "r.rels", "word", 256).unwrap();
        assert_eq!(rels.target_of_type("/styles"), Some("word/styles.xml"));
    }

    #[test]
    fn anything_else_goes_to_the_general_reader_with_the_same_result_or_error() {
        let cases = [
            // Decoded, normalised, oddly quoted or markup-holding values.
            r#"<R><Relationship Id="a&amp;b" Target="x"/></R>"#,
            "<R><Relationship Id=\"a\tb\" Target=\"x\"/></R>",
            r#"<R><Relationship Id='a' Target="x"/></R>"#,
            r#"<R><Relationship Id = "a" Target="x"/></R>"#,
            r#"<R><Relationship Id="a"Target="x"/></R>"#,
            r#"<R><Relationship Id="a" Target="x>y" Other="'<&"/></R>"#,
            r#"<R><Relationship Id="a" TargetMode="&#69;xternal" Target="x"/></R>"#,
            r#"<R><Relationship Id="a" Target="x" bare/></R>"#,
            // Comments, declarations, nesting, several roots, a Relationship start tag.
            r#"<R><!-- c --><Relationship Id="a" Target="x"/></R>"#,
            r#"<!DOCTYPE R><R><Relationship Id="a" Target="x"/></R>"#,
            r#"<R><g><Relationship Id="a" Target="x"/></g></R>"#,
            r#"<R></R><R><Relationship Id="a" Target="x"/></R>"#,
            r#"<R><Relationship Id="a" Target="x"></Relationship></R>"#,
            r#"<Relationship Id="a" Target="x"/>"#,
            r#"<R><?pi <x> ?><Relationship Id="a" Target="x"/></R >"#,
            "\u{feff}<R><Relationship Id=\"a\" Target=\"x\"/></R>",
            // Malformed: the general reader words the error.
            r#"<R><Relationship Id="a" Target="x"/></Q>"#,
            r#"<R><Relationship Id="a" Target="x"/>"#,
            r#"<R><Relationship Id="a" Target="x"/></R></R>"#,
            r#"<R><Relationship Id="a" Target="x/></R>"#,
            r#"<R><Relationship Id="a" Target="x"/><</R>"#,
            r#"<R><?pi <Relationship Id="a" Target="x"/></R>"#,
            r#"<R><Relationship Id="a" Target="x"/></R"#,
            "",
            "<",
            "text only",
        ];
        for xml in cases {
            for depth in [0, 1, 2, 256] {
                let general = parse_general(xml, "r.rels", "word", depth);
                let plain = parse_plain(xml, "word", depth);
                if let Some(plain) = &plain {
                    assert_eq!(general.as_ref().ok(), Some(plain), "{xml}");
                }
                match (parse(xml, "r.rels", "word", depth), general) {
                    (Ok(a), Ok(b)) => assert_eq!(a, b, "{xml}"),
                    (Err(a), Err(b)) => assert_eq!((a.kind, a.message), (b.kind, b.message)),
                    (a, b) => panic!("{xml}: {:?} vs {:?}", a.is_ok(), b.is_ok()),
                }
            }
        }
    }
}
