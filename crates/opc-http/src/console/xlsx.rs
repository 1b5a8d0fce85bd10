//! A minimal XLSX (Office Open XML spreadsheet) writer for the console's exports: one sheet,
//! a header row, then text and number cells. Numbers are written as their exact decimal text
//! (8 decimals for amounts, R-BILL-05), which spreadsheets read as numbers. The package is a
//! ZIP archive of stored (uncompressed) entries.

/// A cell of an exported row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum XlsxCell {
    Text(String),
    /// A decimal number as text, e.g. `-12.50000000`.
    Number(String),
}

/// The workbook's bytes: one sheet named `sheet` with `columns` as its header row.
pub fn workbook(sheet: &str, columns: &[&str], rows: &[Vec<XlsxCell>]) -> Vec<u8> {
    let mut data = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#,
    );
    let header: Vec<XlsxCell> = columns.iter().map(|c| XlsxCell::Text((*c).to_owned())).collect();
    for (r, row) in std::iter::once(&header).chain(rows.iter()).enumerate() {
        data.push_str(&format!(r#"<row r="{}">"#, r + 1));
        for (c, cell) in row.iter().enumerate() {
            let at = format!("{}{}", column_name(c), r + 1);
            match cell {
                XlsxCell::Text(t) => data.push_str(&format!(
                    r#"<c r="{at}" t="inlineStr"><is><t xml:space="preserve">{}</t></is></c>"#,
                    escape(t)
                )),
                XlsxCell::Number(n) => data.push_str(&format!(r#"<c r="{at}"><v>{}</v></c>"#, escape(n))),
            }
        }
        data.push_str("</row>");
    }
    data.push_str("</sheetData></worksheet>");
    let files: [(&str, String); 5] = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.to_owned(),
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_owned(),
        ),
        (
            "xl/workbook.xml",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="{}" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
                escape(&sheet.chars().filter(|c| !"[]*?/\\:".contains(*c)).take(31).collect::<String>())
            ),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#.to_owned(),
        ),
        ("xl/worksheets/sheet1.xml", data),
    ];
    zip_stored(&files)
}

/// `A`, `B`, …, `Z`, `AA`, … for a zero-based column index.
fn column_name(mut index: usize) -> String {
    let mut name = Vec::new();
    loop {
        name.push(b'A' + (index % 26) as u8);
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    name.reverse();
    String::from_utf8(name).expect("ASCII letters")
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            // Characters XML 1.0 cannot hold are dropped.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// A ZIP archive of stored entries (no compression), with a central directory.
fn zip_stored(files: &[(&str, String)]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, content) in files {
        let crc = crc32fast::hash(content.as_bytes());
        let size = u32::try_from(content.len()).expect("an export under 4 GiB");
        let offset = u32::try_from(out.len()).expect("an export under 4 GiB");
        let name_len = u16::try_from(name.len()).expect("a short name");
        // Local file header: version 2.0, UTF-8 names, stored, a fixed 1980-01-01 date.
        out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        for v in [20u16, 0x0800, 0, 0, 0x21] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        for v in [crc, size, size] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out.extend_from_slice(&name_len.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(content.as_bytes());
        // Its central directory record.
        central.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        for v in [20u16, 20, 0x0800, 0, 0, 0x21] {
            central.extend_from_slice(&v.to_le_bytes());
        }
        for v in [crc, size, size] {
            central.extend_from_slice(&v.to_le_bytes());
        }
        for v in [name_len, 0, 0, 0, 0] {
            central.extend_from_slice(&v.to_le_bytes());
        }
        central.extend_from_slice(&0u32.to_le_bytes());
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name.as_bytes());
    }
    let central_offset = u32::try_from(out.len()).expect("an export under 4 GiB");
    let central_size = u32::try_from(central.len()).expect("an export under 4 GiB");
    let count = u16::try_from(files.len()).expect("a few files");
    out.extend_from_slice(&central);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    for v in [0u16, 0, count, count] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out.extend_from_slice(&central_size.to_le_bytes());
    out.extend_from_slice(&central_offset.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_named_like_a_spreadsheet() {
        let names: Vec<String> = [0, 1, 25, 26, 27, 51, 52, 701, 702].into_iter().map(column_name).collect();
        assert_eq!(names, ["A", "B", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA"]);
    }

    #[test]
    fn a_workbook_is_a_zip_holding_the_sheet_with_exact_numbers() {
        let rows = vec![vec![XlsxCell::Text("a < b & \"c\"".into()), XlsxCell::Number("-0.12345678".into())]];
        let bytes = workbook("Bill 2026-03", &["Customer", "Amount"], &rows);
        assert_eq!(&bytes[..4], b"PK\x03\x04");
        let text = String::from_utf8_lossy(&bytes);
        assert!(text.contains("<v>-0.12345678</v>"), "numbers keep every decimal");
        assert!(text.contains("a &lt; b &amp; &quot;c&quot;"));
        assert!(text.contains(r#"<sheet name="Bill 2026-03""#));
        // The end of central directory names five entries.
        let end = bytes.len() - 22;
        assert_eq!(&bytes[end..end + 4], &0x0605_4b50u32.to_le_bytes());
        assert_eq!(u16::from_le_bytes([bytes[end + 10], bytes[end + 11]]), 5);
        // Each stored entry's CRC matches its content.
        let marker = b"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><worksheet";
        let sheet_at = bytes.windows(marker.len()).position(|w| w == marker).unwrap();
        let header = sheet_at - "xl/worksheets/sheet1.xml".len() - 30;
        let crc = u32::from_le_bytes(bytes[header + 14..header + 18].try_into().unwrap());
        let size = u32::from_le_bytes(bytes[header + 18..header + 22].try_into().unwrap()) as usize;
        assert_eq!(crc32fast::hash(&bytes[sheet_at..sheet_at + size]), crc);
    }
}
