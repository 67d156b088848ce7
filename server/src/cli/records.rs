//! The commands for what pupils keep and schools record: classes and pupil codes,
//! a pupil's export and erasure, CWRE reports, badges, and the demo class.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::{Args, Subcommand, ValueEnum};
use workworlds_content::{Content, Lang};
use workworlds_protocol::ids::{JoinCode, PupilCode};

use super::{DataArg, Outcome, load_or_report};
use crate::badges::credential::{self, IssuerKey};
use crate::badges::{self};
use crate::demo;
use crate::names;
use crate::progress::badges::award_new;
use crate::reports::{self, ReportOptions};
use crate::store::{Store, StoredClass, unix_ms_now};

/// The content folder option of the commands that need content.
#[derive(Debug, Args)]
pub struct ContentArg {
    /// The content folder; without it, `content/data` when there is one here, else
    /// the content built into this program.
    #[arg(id = "content_dir", long = "content")]
    pub dir: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum ClassCommand {
    /// Add a class for a teacher.
    Add {
        /// The class's name, such as "5B"; one name per server.
        name: String,
        /// The teacher the class belongs to.
        #[arg(long)]
        teacher: String,
        /// The year or group as the school's records write it, such as "Y5".
        #[arg(long)]
        year: String,
        #[command(flatten)]
        data: DataArg,
    },
    /// Write a printable sheet of pupil-code cards (HTML) for a class.
    Cards {
        class: String,
        /// The file to write; standard output if not given.
        #[arg(long)]
        out: Option<PathBuf>,
        #[command(flatten)]
        data: DataArg,
    },
}

#[derive(Debug, Subcommand)]
pub enum PupilCommand {
    /// Give pupils of a class their codes: one per name given, or `--count` pupils with
    /// generated names. Prints each pupil's name and code.
    Add {
        #[arg(long)]
        class: String,
        /// The names pupils are shown by (first names, or nicknames).
        names: Vec<String>,
        /// Pupils with generated friendly names, instead of names.
        #[arg(long, conflicts_with = "names")]
        count: Option<usize>,
        #[command(flatten)]
        data: DataArg,
    },
    /// Print everything held about a pupil, as JSON.
    Export {
        pupil_code: String,
        #[command(flatten)]
        data: DataArg,
    },
    /// Remove everything held about a pupil, and say what was removed.
    Erase {
        pupil_code: String,
        #[command(flatten)]
        data: DataArg,
    },
}

/// The formats reports come in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Csv,
}

/// The languages reports and badges are written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Language {
    En,
    Cy,
}

impl From<Language> for Lang {
    fn from(language: Language) -> Lang {
        match language {
            Language::En => Lang::En,
            Language::Cy => Lang::Cy,
        }
    }
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct ReportArgs {
    #[command(subcommand)]
    pub class: Option<ReportClass>,
    /// The join code of the session to report.
    pub session: Option<String>,
    #[command(flatten)]
    pub options: ReportFlags,
}

#[derive(Debug, Subcommand)]
pub enum ReportClass {
    /// Every activity of a class over the year, or (`--view coverage`) each pupil's
    /// hours towards every objective with the gaps.
    Class {
        class: String,
        #[arg(long, value_enum, default_value = "activities")]
        view: ClassView,
        #[command(flatten)]
        options: ReportFlags,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ClassView {
    Activities,
    Coverage,
}

#[derive(Debug, Args)]
pub struct ReportFlags {
    #[arg(long, value_enum, default_value = "csv")]
    pub format: Format,
    #[arg(long, value_enum, default_value = "en")]
    pub lang: Language,
    /// Minutes of preparation counted with each session.
    #[arg(long, default_value_t = reports::DEFAULT_PREP_MINUTES)]
    pub prep_minutes: u32,
    /// Minutes of debrief counted with each session.
    #[arg(long, default_value_t = reports::DEFAULT_DEBRIEF_MINUTES)]
    pub debrief_minutes: u32,
    /// The file to write; standard output if not given.
    #[arg(long)]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub data: DataArg,
    #[command(flatten)]
    pub content: ContentArg,
}

#[derive(Debug, Subcommand)]
pub enum BadgeCommand {
    /// Write one signed Open Badges 3.0 credential (JSON) per badge a pupil holds.
    Export {
        pupil_code: String,
        /// The folder to write the files in.
        #[arg(long, default_value = ".")]
        out: PathBuf,
        #[arg(long, value_enum, default_value = "en")]
        lang: Language,
        /// The issuer's name in the credentials, such as the school's.
        #[arg(long, default_value = "Work Worlds")]
        issuer: String,
        #[command(flatten)]
        data: DataArg,
        #[command(flatten)]
        content: ContentArg,
    },
    /// Check a credential file: its signature, its issuer and its fields. Fails on any
    /// change made to it after it was signed.
    Verify {
        file: PathBuf,
        /// Accept a credential signed by any Work Worlds server, not only the one whose
        /// data folder this is.
        #[arg(long)]
        any_issuer: bool,
        #[command(flatten)]
        data: DataArg,
    },
    /// Tick off a mission step (from 1) that a pupil did outside the game, and award
    /// the badge if that completes it.
    Confirm {
        pupil_code: String,
        badge: String,
        step: u8,
        /// The teacher confirming it.
        #[arg(long)]
        teacher: String,
        #[command(flatten)]
        data: DataArg,
        #[command(flatten)]
        content: ContentArg,
    },
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    #[command(flatten)]
    pub data: DataArg,
    #[command(flatten)]
    pub content: ContentArg,
}

pub(super) fn class(command: ClassCommand, out: &mut dyn Write) -> anyhow::Result<Outcome> {
    match command {
        ClassCommand::Add {
            name,
            teacher,
            year,
            data,
        } => {
            let mut store = open(&data)?;
            if store.teacher_password_hash(&teacher)?.is_none() {
                bail!("no teacher named {teacher:?}: add them with `teacher add` first");
            }
            store.add_class(&StoredClass {
                name: name.clone(),
                teacher,
                year_group: year,
            })?;
            writeln!(out, "class {name} added")?;
        }
        ClassCommand::Cards {
            class,
            out: file,
            data,
        } => {
            let store = open(&data)?;
            if store.class(&class)?.is_none() {
                bail!("no class named {class:?}");
            }
            let sheet = card_sheet(&class, &store.class_records(&class)?);
            write_to(file.as_deref(), sheet.as_bytes(), out)?;
        }
    }
    Ok(Outcome::Success)
}

pub(super) fn pupil(command: PupilCommand, out: &mut dyn Write) -> anyhow::Result<Outcome> {
    match command {
        PupilCommand::Add {
            class,
            names: given,
            count,
            data,
        } => {
            let mut store = open(&data)?;
            let names: Vec<String> = match count {
                Some(count) => (0..count)
                    .map(|_| names::generated(&mut rand::rng()))
                    .collect(),
                None => given,
            };
            if names.is_empty() {
                bail!("name the pupils, or give --count");
            }
            for name in names {
                let Some(name) = names::typed(&name) else {
                    bail!("{name:?} cannot be used as a pupil's name");
                };
                let record = store.add_record(&class, &name, unix_ms_now())?;
                writeln!(out, "{}\t{}", record.code, record.name)?;
            }
        }
        PupilCommand::Export { pupil_code, data } => {
            let store = open(&data)?;
            let export = store.export_record(&parse_pupil_code(&pupil_code)?)?;
            serde_json::to_writer_pretty(&mut *out, &export)?;
            writeln!(out)?;
        }
        PupilCommand::Erase { pupil_code, data } => {
            let mut store = open(&data)?;
            let erased = store.erase_record(&parse_pupil_code(&pupil_code)?)?;
            writeln!(out, "erased {erased}")?;
        }
    }
    Ok(Outcome::Success)
}

pub(super) fn report(
    args: ReportArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> anyhow::Result<Outcome> {
    match (args.class, args.session) {
        (
            Some(ReportClass::Class {
                class,
                view,
                options,
            }),
            _,
        ) => {
            let Some(content) = load_or_report(options.content.dir.as_deref(), err)? else {
                return Ok(Outcome::Failure);
            };
            let store = open(&options.data)?;
            let report_options = report_options(&options);
            let csv = match view {
                ClassView::Activities => {
                    let rows = reports::class_rows(&store, &content, &class, report_options)?;
                    reports::activities_csv(&rows, report_options.lang)?
                }
                ClassView::Coverage => {
                    let coverage = reports::class_coverage(&store, &content, &class)?;
                    reports::coverage_csv(&coverage, report_options.lang)?
                }
            };
            write_to(options.out.as_deref(), csv.as_bytes(), out)?;
        }
        (None, Some(session)) => {
            let options = args.options;
            let Some(code) = JoinCode::parse(&session) else {
                bail!("{session:?} is not a join code");
            };
            let Some(content) = load_or_report(options.content.dir.as_deref(), err)? else {
                return Ok(Outcome::Failure);
            };
            let store = open(&options.data)?;
            let report_options = report_options(&options);
            let row = reports::session_row(&store, &content, &code, report_options)?;
            let csv = reports::activities_csv(&[row], report_options.lang)?;
            write_to(options.out.as_deref(), csv.as_bytes(), out)?;
        }
        (None, None) => bail!("name a session's join code, or `class CLASS`"),
    }
    Ok(Outcome::Success)
}

pub(super) fn badge(
    command: BadgeCommand,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> anyhow::Result<Outcome> {
    match command {
        BadgeCommand::Export {
            pupil_code,
            out: folder,
            lang,
            issuer,
            data,
            content,
        } => {
            let Some(content) = load_or_report(content.dir.as_deref(), err)? else {
                return Ok(Outcome::Failure);
            };
            let store = open(&data)?;
            let key = IssuerKey::load_or_create(&data.dir)?;
            let code = parse_pupil_code(&pupil_code)?;
            let files = badges::export(&store, &content, &key, &code, &issuer, lang.into())?;
            fs::create_dir_all(&folder)
                .with_context(|| format!("creating {}", folder.display()))?;
            for (badge, json) in &files {
                let path = folder.join(format!("{}-{badge}.json", code.as_str()));
                let text = serde_json::to_string_pretty(json)?;
                fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
                writeln!(out, "{}", path.display())?;
            }
            writeln!(
                out,
                "{} badge(s) exported, signed by {}",
                files.len(),
                key.did()
            )?;
        }
        BadgeCommand::Verify {
            file,
            any_issuer,
            data,
        } => {
            let bytes = fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
            let key_path = data.dir.join(credential::KEY_FILE);
            let trusted = if any_issuer || !key_path.exists() {
                None
            } else {
                Some(IssuerKey::load_or_create(&data.dir)?)
            };
            match credential::verify(&bytes, trusted.as_ref().map(IssuerKey::did)) {
                Ok(verified) => {
                    writeln!(
                        out,
                        "valid: {:?} awarded {} by {} ({})",
                        verified.badge_name,
                        verified.valid_from,
                        verified.issuer_name,
                        verified.issuer
                    )?;
                    if trusted.is_none() {
                        writeln!(out, "the issuer was not checked against a server's key")?;
                    }
                }
                Err(error) => {
                    writeln!(err, "not valid: {} ({error})", file.display())?;
                    return Ok(Outcome::Failure);
                }
            }
        }
        BadgeCommand::Confirm {
            pupil_code,
            badge,
            step,
            teacher,
            data,
            content,
        } => {
            let Some(content) = load_or_report(content.dir.as_deref(), err)? else {
                return Ok(Outcome::Failure);
            };
            let mut store = open(&data)?;
            let code = parse_pupil_code(&pupil_code)?;
            confirm_step(&mut store, &content, &code, &badge, step, &teacher, out)?;
        }
    }
    Ok(Outcome::Success)
}

fn confirm_step(
    store: &mut Store,
    content: &Content,
    code: &PupilCode,
    badge: &str,
    step: u8,
    teacher: &str,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let Some((id, found)) = content.badges.iter().find(|(id, _)| id.as_str() == badge) else {
        bail!("no badge {badge:?} in the content");
    };
    let index = step.checked_sub(1).map(usize::from);
    let Some(mission_step) = index.and_then(|index| found.mission.get(index)) else {
        bail!(
            "badge {badge} has {} mission step(s), numbered from 1",
            found.mission.len()
        );
    };
    if !matches!(
        mission_step.done_by,
        workworlds_content::defs::StepCheck::TeacherConfirms
    ) {
        bail!("step {step} of {badge} is done by a quest in the game, not by a teacher");
    }
    if store.record(code)?.is_none() {
        bail!("no pupil has the code {code}");
    }
    let now = unix_ms_now();
    store.tick_mission_step(code, id, step - 1, teacher, now)?;
    writeln!(out, "step {step} of {badge} confirmed")?;
    for awarded in award_new(store, content, code, now)? {
        writeln!(out, "badge awarded: {awarded}")?;
    }
    Ok(())
}

pub(super) fn demo(
    args: DemoArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> anyhow::Result<Outcome> {
    let Some(content) = load_or_report(args.content.dir.as_deref(), err)? else {
        return Ok(Outcome::Failure);
    };
    let mut store = open(&args.data)?;
    let made = demo::fill(&mut store, &content, unix_ms_now())?;
    writeln!(
        out,
        "teacher: {} (password {:?}), class {} ({})",
        demo::TEACHER,
        demo::TEACHER_PASSWORD,
        demo::CLASS,
        demo::YEAR_GROUP
    )?;
    for session in &made.sessions {
        writeln!(out, "session: {session}")?;
    }
    let codes: Vec<String> = made.pupils.iter().map(ToString::to_string).collect();
    writeln!(out, "pupils: {}", codes.join(" "))?;
    writeln!(out, "badges awarded: {}", made.badges)?;
    Ok(Outcome::Success)
}

fn open(data: &DataArg) -> anyhow::Result<Store> {
    Store::open(&data.dir).context("opening the store")
}

fn parse_pupil_code(typed: &str) -> anyhow::Result<PupilCode> {
    PupilCode::parse(typed).with_context(|| format!("{typed:?} is not a pupil code"))
}

fn report_options(flags: &ReportFlags) -> ReportOptions {
    let Format::Csv = flags.format;
    ReportOptions {
        lang: flags.lang.into(),
        prep_minutes: flags.prep_minutes,
        debrief_minutes: flags.debrief_minutes,
    }
}

fn write_to(file: Option<&Path>, bytes: &[u8], out: &mut dyn Write) -> anyhow::Result<()> {
    match file {
        Some(path) => {
            fs::write(path, bytes).with_context(|| format!("writing {}", path.display()))?;
        }
        None => out.write_all(bytes)?,
    }
    Ok(())
}

/// A page of cards to print and cut out, each with a pupil's name and code.
fn card_sheet(class: &str, records: &[crate::store::StoredRecord]) -> String {
    let mut cards = String::new();
    for record in records {
        cards.push_str(&format!(
            "<div class=\"card\"><div class=\"name\">{}</div><div class=\"code\">{}</div>\
             <div class=\"hint\">Your Work Worlds code · Dy god Bydoedd Gwaith</div></div>\n",
            escape(&record.name),
            record.code
        ));
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <title>{title}</title><style>\
         body{{font-family:sans-serif;margin:1cm}}\
         .cards{{display:grid;grid-template-columns:repeat(3,1fr);gap:4mm}}\
         .card{{border:1px dashed #555;padding:5mm;break-inside:avoid}}\
         .name{{font-size:14pt}}\
         .code{{font:bold 22pt monospace;letter-spacing:2px;margin:2mm 0}}\
         .hint{{font-size:9pt;color:#444}}</style></head><body>\
         <h1>{title}</h1><div class=\"cards\">\n{cards}</div></body></html>\n",
        title = escape(&format!("Work Worlds · {class}")),
    )
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
