-- Raw layer: append-only, every row with its batch and source sheet/row. Idempotent DDL.
create schema if not exists raw;
create schema if not exists quarantine;

create table if not exists raw.ingest_batches (
    batch_id bigint generated always as identity primary key,
    file_name text not null,
    file_path text not null,
    sha256 char(64) not null,
    bytes bigint not null,
    kind text,
    batch_key text,
    district_code text,
    reporting_date date,
    sheets text[],
    legacy_encoding text,
    rows_in integer,
    rows_loaded integer,
    rows_quarantined integer,
    rows_skipped integer,
    skipped jsonb,
    status text not null check (status in ('loaded', 'superseded', 'rejected')),
    superseded_by bigint references raw.ingest_batches (batch_id),
    checks text check (checks in ('passed', 'warned', 'failed')),
    checks_detail jsonb,
    reject_code text,
    error text,
    source_modified timestamptz,
    started_at timestamptz not null,
    finished_at timestamptz not null default clock_timestamp(),
    constraint rows_conserved check (status = 'rejected' or rows_in = rows_loaded + rows_quarantined)
);
comment on table raw.ingest_batches is 'The ledger: one row per file ingested (loaded, superseded or rejected).';
-- Added since the first release (a warehouse created before gets them here): how often a file that failed
-- for an internal reason was tried, the layout's warnings, the vocabulary the rows were read with.
alter table raw.ingest_batches add column if not exists attempts integer not null default 1;
alter table raw.ingest_batches add column if not exists warnings jsonb;
alter table raw.ingest_batches add column if not exists vocabulary text;
alter table raw.ingest_batches add column if not exists revision integer not null default 0;  -- replays that changed it
-- what each sheet's title rows and layout said its rows are read with (a roster's class, a plan's year, the body
-- each post is of): [{"sheet", "from_row", ...}], so that a replay reads a quarantined row as its sheet did
alter table raw.ingest_batches add column if not exists contexts jsonb;
create unique index if not exists ingest_batches_one_load_per_content
    on raw.ingest_batches (sha256) where status <> 'rejected';
create index if not exists ingest_batches_key on raw.ingest_batches (batch_key, batch_id);

create table if not exists raw.hr_rows (
    batch_id bigint not null,  -- the ledger row is written in the same transaction (no per-row FK check)
    source_sheet text not null,
    source_row integer not null,
    full_name text not null,
    full_name_raw text,  -- the cell as read where normalising changed it; null: it read exactly as full_name
    name_key text not null,
    dob date not null,
    dob_raw text,
    sex text,
    ethnicity text,
    citizen_id text,
    citizen_id_raw text,  -- as read where it differs from citizen_id (a number that lost its zero...)
    citizen_id_flag text,
    commune_code text not null,
    commune_raw text,
    title_code text not null,
    title_raw text,
    prof_level text,
    prof_level_raw text,
    prof_field text,
    llct text,
    llct_raw text,
    qlnn text,
    qlnn_raw text,
    it text,
    it_raw text,
    lang text,
    lang_raw text,
    party_date date,
    party_date_raw text,
    appointment_date date,
    appointment_date_raw text,
    extras text,  -- JSON object of the columns ingest keeps but does not map (Arrow binary COPY cannot write jsonb)
    primary key (batch_id, source_sheet, source_row)
);
-- Since the first release: the posts held beside the primary one, what loaded but deserves a look
-- ("prof_level:unmapped", "dob:year_only", ...), and a birth date is optional where the citizen ID places
-- the person.
alter table raw.hr_rows add column if not exists title_concurrent text[];
alter table raw.hr_rows add column if not exists flags text[];
alter table raw.hr_rows alter column dob drop not null;
-- The person's pseudonymous id, HMAC-SHA256 of the citizen ID under the pseudonym key, computed by the ingest
-- (the key is not in the database; `pseudonym_key_in_use` keeps a fingerprint of it, so a new key is refused
-- unless asked for: it would change every person id).
alter table raw.hr_rows add column if not exists citizen_pseudonym text;
-- The ethnicity cell as read where it is not the group's name in the list ("H'Mông", "Sán Chỉ").
alter table raw.hr_rows add column if not exists ethnicity_raw text;
-- The day the post was given up, where a list says so ("Đến ngày" under "Thông tin chức danh"): a later one
-- (a term's end) loads; one on or before the reporting date quarantines the row (post_ended).
alter table raw.hr_rows add column if not exists title_until date;
alter table raw.hr_rows add column if not exists title_until_raw text;
create table if not exists raw.pseudonym_key_in_use (
    only_row boolean primary key default true check (only_row),
    fingerprint text not null,
    since timestamptz not null default clock_timestamp()
);

create table if not exists raw.course_classes (
    batch_id bigint not null,  -- the ledger row is written in the same transaction (no per-row FK check)
    source_sheet text not null,
    source_row integer not null,
    class_code text not null,
    class_name text,
    category text,
    organiser_level text,
    topics text[],
    start_date date,
    end_date date,
    target_group text,
    place text,
    participants integer,
    extras text,  -- JSON object of the columns ingest keeps but does not map (Arrow binary COPY cannot write jsonb)
    primary key (batch_id, source_sheet, source_row)
);
-- what loads but deserves a look ("period:month_only": a plan's "Tháng 5/2024" read as 1-31 May)
alter table raw.course_classes add column if not exists flags text[];

create table if not exists raw.roster_rows (
    batch_id bigint not null,  -- the ledger row is written in the same transaction (no per-row FK check)
    source_sheet text not null,
    source_row integer not null,
    class_code text not null,
    full_name text not null,
    full_name_raw text,  -- the cell as read where normalising changed it; null: it read exactly as full_name
    name_key text not null,
    dob date not null,
    dob_raw text,
    citizen_id text,
    citizen_id_flag text,
    title_code text,
    title_raw text,
    unit_raw text,
    district_raw text,
    commune_code text,
    completed boolean,
    score double precision,
    grade text,
    topics_attended text[],
    extras text,  -- JSON object of the columns ingest keeps but does not map (Arrow binary COPY cannot write jsonb)
    primary key (batch_id, source_sheet, source_row)
);

create table if not exists raw.survey_responses (
    batch_id bigint not null,  -- the ledger row is written in the same transaction (no per-row FK check)
    source_sheet text not null,
    source_row integer not null,
    submitted_at text,
    full_name text not null,
    full_name_raw text,  -- the cell as read where normalising changed it; null: it read exactly as full_name
    name_key text not null,
    dob date not null,
    dob_raw text,
    sex text,
    unit_raw text,
    district_raw text,
    commune_code text,
    title_code text,
    title_raw text,
    trainings_2016_2020 integer,
    improvement text,
    improvement_raw text,
    necessity text,
    necessity_raw text,
    extras text,  -- JSON object of the columns ingest keeps but does not map (Arrow binary COPY cannot write jsonb)
    primary key (batch_id, source_sheet, source_row)
);

create table if not exists quarantine.rows (
    batch_id bigint not null references raw.ingest_batches (batch_id),
    kind text not null,
    source_sheet text not null,
    source_row integer not null,
    reasons text[] not null,
    details jsonb,
    cells jsonb not null,
    primary key (batch_id, source_sheet, source_row)
);
comment on table quarantine.rows is 'Rows refused by ingest, with their original cells and reason codes, for a person to fix.';

-- What downstream uses: per batch key the newest batch that loaded and did not fail its checks. Its columns are
-- listed, not "b.*": a column added to the ledger later (contexts) would change the view's columns, which
-- "create or replace view" cannot do to a warehouse's existing view.
create or replace view raw.current_batches as
select *
from (
    select
        b.batch_id, b.file_name, b.file_path, b.sha256, b.bytes, b.kind, b.batch_key, b.district_code,
        b.reporting_date, b.sheets, b.legacy_encoding, b.rows_in, b.rows_loaded, b.rows_quarantined, b.rows_skipped,
        b.skipped, b.status, b.superseded_by, b.checks, b.checks_detail, b.reject_code, b.error, b.source_modified,
        b.started_at, b.finished_at, b.attempts, b.warnings, b.vocabulary, b.revision,
        row_number() over (
            partition by b.batch_key order by b.source_modified desc nulls last, b.batch_id desc
        ) as recency
    from raw.ingest_batches as b
    where status in ('loaded', 'superseded') and checks in ('passed', 'warned')
) as ranked
where recency = 1;
-- A roster that gives no birth dates (a class's list often does not) is kept: its lines are matched by name and
-- commune, or counted unmatched.
alter table raw.roster_rows alter column dob drop not null;
-- the class as the roster names it (each row's columns, or its title rows): for a class no class list has sent
alter table raw.roster_rows add column if not exists class_name text;
alter table raw.roster_rows add column if not exists class_start date;
alter table raw.roster_rows add column if not exists class_end date;
-- A survey's forms may ask no name ("phiếu không ghi tên"): its answers count, matched to no one.
alter table raw.survey_responses alter column full_name drop not null;
alter table raw.survey_responses alter column name_key drop not null;
alter table raw.survey_responses alter column dob drop not null;
-- the answer as written where it gives no one number ("1-2 lớp", "Trên 5 lớp": a form's ranges)
alter table raw.survey_responses add column if not exists trainings_2016_2020_raw text;
