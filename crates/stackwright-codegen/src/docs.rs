//! Turning schema descriptions into rustdoc text that renders as written.
//!
//! Descriptions are plain text with occasional Markdown, HTML and code fences. They become
//! one paragraph per blank-line-separated block; characters rustdoc would interpret
//! (link brackets, HTML tags, emphasis, headings) are escaped, and bare URLs become
//! autolinks, so `cargo doc` warns about nothing and `cargo test --doc` compiles nothing.

/// The doc lines (without `///`) for a description; empty when there is none.
pub fn doc_lines(description: Option<&str>) -> Vec<String> {
    let Some(text) = description else { return Vec::new() };
    let mut lines = Vec::new();
    for paragraph in paragraphs(text) {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.push(escape_paragraph(&paragraph));
    }
    lines
}

/// Splits on blank lines and collapses the whitespace inside each paragraph.
fn paragraphs(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() {
            if !current.is_empty() {
                out.push(current.join(" "));
                current.clear();
            }
        } else {
            current.push(line);
        }
    }
    if !current.is_empty() {
        out.push(current.join(" "));
    }
    out.into_iter().map(|p| p.split_whitespace().collect::<Vec<_>>().join(" ")).filter(|p| !p.is_empty()).collect()
}

fn escape_paragraph(paragraph: &str) -> String {
    let backticks_balanced = paragraph.matches('`').count().is_multiple_of(2) && !paragraph.contains("```");
    let mut out = String::with_capacity(paragraph.len() + 16);
    for (index, token) in paragraph.split(' ').enumerate() {
        if index > 0 {
            out.push(' ');
        }
        if let Some((prefix, url, rest)) = split_url(token) {
            escape_into(&mut out, prefix, backticks_balanced);
            out.push('<');
            out.push_str(url);
            out.push('>');
            escape_into(&mut out, rest, backticks_balanced);
        } else {
            escape_into(&mut out, token, backticks_balanced);
        }
    }
    // A leading `#`, `-`, `+` or `1.` would start a heading or a list.
    if out.starts_with(['#', '-', '+', '=']) {
        out.insert(0, '\\');
    }
    out
}

/// A bare `http(s)://` URL in a token: what precedes it, the URL, and what follows it.
fn split_url(token: &str) -> Option<(&str, &str, &str)> {
    let start = token.find("https://").or_else(|| token.find("http://"))?;
    if token[..start].contains('`') {
        return None;
    }
    let tail = &token[start..];
    let end = tail
        .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '`' | '[' | ']' | '(' | ')' | '\''))
        .unwrap_or(tail.len());
    let url = tail[..end].trim_end_matches(['.', ',', ';', ':']);
    Some((&token[..start], url, &tail[url.len()..]))
}

fn escape_into(out: &mut String, text: &str, keep_code_spans: bool) {
    let mut in_code = false;
    for c in text.chars() {
        if c == '`' {
            if keep_code_spans {
                in_code = !in_code;
                out.push(c);
            } else {
                out.push_str("\\`");
            }
            continue;
        }
        if in_code {
            out.push(c);
            continue;
        }
        match c {
            '\\' | '[' | ']' | '*' | '_' | '<' | '>' | '|' => {
                out.push('\\');
                out.push(c);
            }
            '\t' => out.push(' '),
            _ => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markdown_and_html_and_links_urls() {
        let lines = doc_lines(Some(
            "See [the docs](https://example.com/a.html). Use <b>bold</b>\n  and *this*.\n\nSecond  para `code_span`.",
        ));
        assert_eq!(
            lines,
            [
                r"See \[the docs\](<https://example.com/a.html>). Use \<b\>bold\</b\> and \*this\*.",
                "",
                "Second para `code_span`.",
            ]
        );
    }

    #[test]
    fn code_fences_do_not_survive() {
        let lines = doc_lines(Some("Example:\n```\nfn main() {}\n```"));
        assert_eq!(lines, [r"Example: \`\`\` fn main() {} \`\`\`"]);
    }

    #[test]
    fn bare_urls_become_autolinks() {
        assert_eq!(doc_lines(Some("Go to https://aws.amazon.com/x.")), ["Go to <https://aws.amazon.com/x>."]);
    }
}
