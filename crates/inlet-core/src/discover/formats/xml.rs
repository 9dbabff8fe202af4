//! The bounded XML reader both configuration formats use (autoconfig and POX Autodiscover):
//! quick-xml events into a small element tree. Both documents come from whoever holds a domain,
//! so the reader is strict about the XML and bounds its resources: nesting and element count
//! are limited, DTDs are skipped and never expanded (only the five predefined entities and
//! character references are resolved, so billion laughs and external entities are `Malformed`),
//! and namespaces are ignored (elements are known by their local name).

use std::fmt;

use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};

/// What a format expects of a document.
pub(crate) struct Grammar<'a> {
    /// The local name of the root element (compared like every other name).
    pub root: &'a str,
    pub max_depth: usize,
    pub max_elements: usize,
    /// Element names match in any case (Autodiscover hosters write `<AutoDiscover>`).
    pub ignore_case: bool,
}

/// Why a text is not a document of the format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TreeError {
    /// Nested too deep or too many elements; the text says which.
    TooLarge(String),
    /// Not well-formed XML; the text has the position and the reason.
    Malformed(String),
    /// Well-formed so far, but the root element is another one (an HTML page...): its name.
    WrongRoot(String),
}

#[derive(Debug)]
pub(crate) struct Element {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub text: String,
    pub children: Vec<Element>,
    /// Byte offset of the start tag, for messages ([`line_col`]).
    pub offset: usize,
    ignore_case: bool,
}

impl Element {
    /// Whether this element is called `name` (in any case when the grammar says so).
    pub fn is(&self, name: &str) -> bool {
        if self.ignore_case {
            self.name.eq_ignore_ascii_case(name)
        } else {
            self.name == name
        }
    }

    /// An attribute's trimmed value, by local name in any case.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.trim())
    }

    pub fn children<'a, 'n>(&'a self, name: &'n str) -> impl Iterator<Item = &'a Element> + use<'a, 'n> {
        self.children.iter().filter(move |c| c.is(name))
    }

    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children(name).next()
    }

    /// The trimmed text of the first child called `name`, None when missing or empty.
    pub(crate) fn child_text(&self, name: &str) -> Option<&str> {
        self.child(name).map(|c| c.text.trim()).filter(|t| !t.is_empty())
    }
}

/// "line L, column C" of a byte offset in `text` (1-based, columns in characters).
pub(crate) fn line_col(text: &str, offset: usize) -> String {
    let mut end = offset.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let before = &text[..end];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    format!("line {line}, column {column}")
}

fn malformed(text: &str, offset: u64, reason: impl fmt::Display) -> TreeError {
    TreeError::Malformed(format!("{reason} at {}", line_col(text, offset as usize)))
}

fn local_name(raw: &str) -> String {
    raw.rsplit(':').next().unwrap_or(raw).to_string()
}

/// Reads `text` into a tree under `grammar`'s limits.
pub(crate) fn read_tree(text: &str, grammar: &Grammar<'_>) -> Result<Element, TreeError> {
    let mut reader = Reader::from_str(text);
    {
        let config = reader.config_mut();
        config.check_end_names = true;
        config.allow_unmatched_ends = false;
        config.allow_dangling_amp = false;
        config.check_comments = true;
        config.expand_empty_elements = false;
    }
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    let mut elements = 0usize;

    loop {
        let at = reader.buffer_position();
        let event = reader.read_event().map_err(|e| malformed(text, reader.error_position(), e))?;
        match event {
            Event::Start(_) | Event::Empty(_) if root.is_some() => {
                return Err(malformed(text, at, "a second root element"));
            }
            Event::Start(start) => {
                let element = open(text, &start, at, &stack, &mut elements, grammar)?;
                stack.push(element);
            }
            Event::Empty(start) => {
                let element = open(text, &start, at, &stack, &mut elements, grammar)?;
                close(element, &mut stack, &mut root);
            }
            Event::End(_) => match stack.pop() {
                Some(element) => close(element, &mut stack, &mut root),
                None => return Err(malformed(text, at, "a closing tag without an opening tag")),
            },
            Event::Text(t) => {
                let content = t.xml10_content();
                match stack.last_mut() {
                    Some(parent) => parent.text.push_str(&content),
                    None if content.trim().is_empty() => {}
                    None if root.is_none() => {
                        return Err(malformed(text, at, "text where the root element should start (not XML?)"))
                    }
                    None => return Err(malformed(text, at, "text after the root element")),
                }
            }
            Event::CData(c) => match stack.last_mut() {
                Some(parent) => parent.text.push_str(&c.xml10_content()),
                None => return Err(malformed(text, at, "CDATA outside the root element")),
            },
            Event::GeneralRef(r) => {
                let Some(parent) = stack.last_mut() else {
                    return Err(malformed(text, at, "a reference outside the root element"));
                };
                match r.resolve_char_ref() {
                    Ok(Some(ch)) => parent.text.push(ch),
                    Ok(None) => match resolve_predefined_entity(&r) {
                        Some(replacement) => parent.text.push_str(replacement),
                        None => {
                            return Err(malformed(
                                text,
                                at,
                                format_args!("undefined entity &{}; (DTD entities are never expanded)", &*r),
                            ))
                        }
                    },
                    Err(e) => return Err(malformed(text, at, e)),
                }
            }
            // Skipped, never interpreted: no entity from a DTD is ever expanded.
            Event::DocType(_) | Event::Comment(_) | Event::Decl(_) | Event::PI(_) => {}
            Event::Eof => break,
        }
    }
    if let Some(open) = stack.last() {
        return Err(TreeError::Malformed(format!(
            "the document ends before <{}> (opened at {}) is closed",
            open.name,
            line_col(text, open.offset)
        )));
    }
    root.ok_or_else(|| TreeError::Malformed("no XML element found".into()))
}

fn open(
    text: &str,
    start: &BytesStart<'_>,
    at: u64,
    stack: &[Element],
    elements: &mut usize,
    grammar: &Grammar<'_>,
) -> Result<Element, TreeError> {
    let mut element = Element {
        name: local_name(start.name().as_ref()),
        attrs: Vec::new(),
        text: String::new(),
        children: Vec::new(),
        offset: at as usize,
        ignore_case: grammar.ignore_case,
    };
    if stack.is_empty() && !element.is(grammar.root) {
        // An HTML page, a JSON error, the other format: well-formed or not, not this one.
        return Err(TreeError::WrongRoot(element.name));
    }
    if stack.len() >= grammar.max_depth {
        return Err(TreeError::TooLarge(format!(
            "elements nested deeper than {} levels at {}",
            grammar.max_depth,
            line_col(text, element.offset)
        )));
    }
    *elements += 1;
    if *elements > grammar.max_elements {
        return Err(TreeError::TooLarge(format!("more than {} elements", grammar.max_elements)));
    }
    for attr in start.attributes() {
        let attr = attr.map_err(|e| malformed(text, at, e))?;
        let value = attr
            .normalized_value(XmlVersion::Implicit1_0)
            .map_err(|e| malformed(text, at, format_args!("{e} (only the predefined XML entities are expanded)")))?;
        element.attrs.push((local_name(attr.key.as_ref()), value.into_owned()));
    }
    Ok(element)
}

fn close(element: Element, stack: &mut [Element], root: &mut Option<Element>) {
    match stack.last_mut() {
        Some(parent) => parent.children.push(element),
        None => *root = Some(element),
    }
}
