//! Reports written as CSV: UTF-8 with a byte-order mark, which is what makes the
//! spreadsheets schools use read Welsh letters (ŵ, ŷ, â) as they are rather than as
//! mojibake, and a header row naming every column.

use workworlds_content::Lang;
use workworlds_content::curriculum::{ExperienceType, Objective};

use super::{ActivityRow, PupilCoverage, ReportError};

/// The UTF-8 byte-order mark.
const BOM: &str = "\u{feff}";

/// The tick the sheet puts in a type or objective column.
const TICK: &str = "✓";

/// The planning and recording sheet's rows, with its header.
pub fn activities_csv(rows: &[ActivityRow], lang: Lang) -> Result<String, ReportError> {
    let mut header: Vec<String> = match lang {
        Lang::En => ["Activity", "Year/group", "Staff initials"],
        Lang::Cy => ["Gweithgaredd", "Blwyddyn/grŵp", "Llythrennau cyntaf staff"],
    }
    .map(String::from)
    .to_vec();
    header.extend(ExperienceType::ALL.iter().map(|kind| format!("{kind:?}")));
    header.extend(
        Objective::ALL
            .iter()
            .map(|objective| format!("{objective:?}")),
    );
    header.extend(
        match lang {
            Lang::En => [
                "Date(s)",
                "Hours",
                "Businesses involved",
                "Pupils",
                "Session",
            ],
            Lang::Cy => [
                "Dyddiad(au)",
                "Oriau",
                "Busnesau a fu'n rhan",
                "Disgyblion",
                "Sesiwn",
            ],
        }
        .map(String::from),
    );

    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(&header)?;
    for row in rows {
        let mut record = vec![
            row.activity.clone(),
            row.year_group.clone(),
            row.staff.clone(),
        ];
        record.extend(
            ExperienceType::ALL
                .iter()
                .map(|kind| tick(row.types.contains(kind))),
        );
        record.extend(
            Objective::ALL
                .iter()
                .map(|objective| tick(row.objectives.contains(objective))),
        );
        record.extend([
            row.dates.clone(),
            format!("{:.2}", row.hours),
            row.businesses.clone(),
            row.pupils.to_string(),
            row.session.to_string(),
        ]);
        writer.write_record(record.iter().map(|cell| safe(cell)))?;
    }
    finish(writer)
}

/// Each pupil's hours towards every objective, with a last column naming the
/// objectives they have not covered yet.
pub fn coverage_csv(pupils: &[PupilCoverage], lang: Lang) -> Result<String, ReportError> {
    let (pupil, code, gaps) = match lang {
        Lang::En => ("Pupil", "Pupil code", "Not yet covered"),
        Lang::Cy => ("Disgybl", "Cod disgybl", "Heb ei gwmpasu eto"),
    };
    let mut header = vec![pupil.to_owned(), code.to_owned()];
    header.extend(Objective::ALL.iter().map(|objective| match lang {
        Lang::En => format!("{objective:?} hours"),
        Lang::Cy => format!("Oriau {objective:?}"),
    }));
    header.push(gaps.to_owned());

    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(&header)?;
    for coverage in pupils {
        let mut record = vec![coverage.name.clone(), coverage.pupil_code.clone()];
        record.extend(
            coverage
                .minutes
                .iter()
                .map(|minutes| format!("{:.2}", f64::from(*minutes) / 60.0)),
        );
        let missing: Vec<String> = Objective::ALL
            .iter()
            .zip(coverage.minutes)
            .filter(|(_, minutes)| *minutes == 0)
            .map(|(objective, _)| format!("{objective:?}"))
            .collect();
        record.push(missing.join(" "));
        writer.write_record(record.iter().map(|cell| safe(cell)))?;
    }
    finish(writer)
}

/// A cell as a spreadsheet will not run: text that starts like a formula (`=`, `+`,
/// `-`, `@`, or a tab or return before one) gets an apostrophe in front, which
/// spreadsheets show as text and hide. Names and class names are typed by people, and a
/// record must never be a way to run something on the school office's computer.
fn safe(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_owned()
    }
}

fn tick(ticked: bool) -> String {
    if ticked {
        TICK.to_owned()
    } else {
        String::new()
    }
}

fn finish(writer: csv::Writer<Vec<u8>>) -> Result<String, ReportError> {
    let bytes = writer
        .into_inner()
        .map_err(|error| ReportError::Csv(error.into_error().into()))?;
    // The writer was given only Strings, so its output is UTF-8.
    let text = String::from_utf8(bytes).expect("CSV written from Strings is UTF-8");
    Ok(format!("{BOM}{text}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_that_look_like_formulas_are_written_as_text() {
        let pupils = [PupilCoverage {
            name: "=HYPERLINK(\"http://x\")".into(),
            pupil_code: "KD7M-Q3XA".into(),
            minutes: [0, 30, 0, 0, 0, 0],
        }];
        let csv = coverage_csv(&pupils, Lang::En).unwrap();
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        let row = reader.records().next().unwrap().unwrap();
        assert_eq!(&row[0], "'=HYPERLINK(\"http://x\")");
        assert_eq!(&row[1], "KD7M-Q3XA");
        assert_eq!(&row[3], "0.50");
        assert_eq!(&row[8], "O1 O3 O4 O5 O6");
    }
}
