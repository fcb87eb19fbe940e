//! Timestamps: the [`DateTime`] type behind the model's `timestamp` shapes.
//!
//! A [`DateTime`] is an instant in UTC with nanosecond precision. AWS protocols put
//! timestamps on the wire in three text forms, listed in [`Format`]:
//!
//! * [`Format::DateTime`]: RFC 3339 / ISO 8601, such as `2014-06-30T12:00:00Z`;
//! * [`Format::HttpDate`]: the HTTP date of RFC 7231, such as `Mon, 30 Jun 2014 12:00:00 GMT`;
//! * [`Format::EpochSeconds`]: seconds since the Unix epoch, such as `1404129600.5`.
//!
//! ```
//! use botogen_runtime::datetime::{DateTime, Format};
//!
//! let t = DateTime::parse("2014-06-30T12:00:00.5+02:00", Format::DateTime)?;
//! assert_eq!(t.fmt(Format::DateTime), "2014-06-30T10:00:00.5Z");
//! assert_eq!(t.fmt(Format::HttpDate), "Mon, 30 Jun 2014 10:00:00 GMT");
//! assert_eq!(t.fmt(Format::EpochSeconds), "1404122400.5");
//! # Ok::<(), botogen_runtime::datetime::DateTimeError>(())
//! ```
//!
//! Calendar arithmetic uses the proleptic Gregorian calendar and ignores leap seconds, like
//! Unix time does.

use std::error::Error;
use std::fmt;
use std::str::FromStr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const NANOS_PER_SEC: u32 = 1_000_000_000;
const SECS_PER_DAY: i64 = 86_400;

const WEEKDAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const WEEKDAYS_LONG: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// An instant in UTC with nanosecond precision, as used for AWS timestamps.
///
/// It is stored as whole seconds since the Unix epoch (1970-01-01T00:00:00Z) plus a
/// nanosecond part that is always in `0..1_000_000_000`, so instants before the epoch have
/// negative seconds and a positive nanosecond part: 1.5 seconds before the epoch is
/// `secs() == -2` and `subsec_nanos() == 500_000_000`. Comparison and hashing follow the
/// instant.
///
/// [`Display`](fmt::Display), [`Debug`](fmt::Debug) and [`FromStr`] use the RFC 3339 form
/// of [`Format::DateTime`]:
///
/// ```
/// use botogen_runtime::DateTime;
///
/// let t: DateTime = "2000-02-29T23:59:59.25Z".parse()?;
/// assert_eq!(t.to_string(), "2000-02-29T23:59:59.25Z");
/// assert_eq!(format!("{t:?}"), "2000-02-29T23:59:59.25Z");
/// assert_eq!(DateTime::from_secs(0).to_string(), "1970-01-01T00:00:00Z");
/// # Ok::<(), botogen_runtime::datetime::DateTimeError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DateTime {
    seconds: i64,
    subsec_nanos: u32,
}

/// The text forms a [`DateTime`] takes on the wire (the model's `timestampFormat`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// RFC 3339 (ISO 8601) in UTC, e.g. `2014-06-30T12:00:00Z`; botocore's `iso8601`.
    DateTime,
    /// The IMF-fixdate of RFC 7231, e.g. `Mon, 30 Jun 2014 12:00:00 GMT`; botocore's `rfc822`.
    HttpDate,
    /// Seconds since the Unix epoch, e.g. `1404129600` or `1404129600.25`; botocore's
    /// `unixTimestamp`.
    EpochSeconds,
}

impl DateTime {
    /// The Unix epoch, 1970-01-01T00:00:00Z.
    pub const UNIX_EPOCH: DateTime = DateTime {
        seconds: 0,
        subsec_nanos: 0,
    };

    /// The instant `seconds` whole seconds after (or, if negative, before) the Unix epoch.
    pub const fn from_secs(seconds: i64) -> Self {
        DateTime {
            seconds,
            subsec_nanos: 0,
        }
    }

    /// The instant `seconds` seconds plus `nanos` nanoseconds after the Unix epoch.
    ///
    /// Whole seconds in `nanos` (values of 1 000 000 000 or more) carry into the seconds;
    /// the seconds saturate at `i64::MAX`.
    ///
    /// ```
    /// use botogen_runtime::DateTime;
    ///
    /// let t = DateTime::from_secs_and_nanos(-2, 1_500_000_000);
    /// assert_eq!((t.secs(), t.subsec_nanos()), (-1, 500_000_000));
    /// ```
    pub const fn from_secs_and_nanos(seconds: i64, nanos: u32) -> Self {
        DateTime {
            seconds: seconds.saturating_add((nanos / NANOS_PER_SEC) as i64),
            subsec_nanos: nanos % NANOS_PER_SEC,
        }
    }

    /// The instant `millis` milliseconds after (or, if negative, before) the Unix epoch.
    pub const fn from_millis(millis: i64) -> Self {
        DateTime {
            seconds: millis.div_euclid(1000),
            subsec_nanos: millis.rem_euclid(1000) as u32 * 1_000_000,
        }
    }

    /// The instant `secs` seconds after the Unix epoch, from a floating-point number.
    ///
    /// The value is split into whole seconds (rounded toward negative infinity) and a
    /// fraction, and the fraction is rounded to the nearest nanosecond, so `1.1` gives
    /// 1 s + 100 000 000 ns even though `1.1` is not exact in binary. Precision is of course
    /// limited by `f64`: near today's timestamps it holds about a quarter of a microsecond.
    ///
    /// # Errors
    ///
    /// NaN, infinities and values whose whole seconds do not fit in an `i64`.
    ///
    /// ```
    /// use botogen_runtime::DateTime;
    ///
    /// let t = DateTime::from_secs_f64(-1.5)?;
    /// assert_eq!((t.secs(), t.subsec_nanos()), (-2, 500_000_000));
    /// assert!(DateTime::from_secs_f64(f64::NAN).is_err());
    /// # Ok::<(), botogen_runtime::datetime::DateTimeError>(())
    /// ```
    pub fn from_secs_f64(secs: f64) -> Result<Self, DateTimeError> {
        // 2^63, exactly representable: the first value whose floor does not fit in an i64.
        const LIMIT: f64 = 9_223_372_036_854_775_808.0;
        let err = |kind| DateTimeError::new(kind, Context::SecsF64, &secs.to_string());
        if !secs.is_finite() {
            return Err(err(ErrorKind::NotFinite));
        }
        let floor = secs.floor();
        if !(-LIMIT..LIMIT).contains(&floor) {
            return Err(err(ErrorKind::OutOfRange));
        }
        let mut seconds = floor as i64;
        // `secs - floor` is exact and in [0, 1); the product rounds to at most 1e9.
        let mut nanos = ((secs - floor) * 1e9).round() as u32;
        if nanos >= NANOS_PER_SEC {
            nanos -= NANOS_PER_SEC;
            seconds = seconds
                .checked_add(1)
                .ok_or_else(|| err(ErrorKind::OutOfRange))?;
        }
        Ok(DateTime {
            seconds,
            subsec_nanos: nanos,
        })
    }

    /// Whole seconds since the Unix epoch, rounded toward negative infinity.
    pub const fn secs(&self) -> i64 {
        self.seconds
    }

    /// The nanoseconds past [`secs`](Self::secs), always in `0..1_000_000_000`.
    pub const fn subsec_nanos(&self) -> u32 {
        self.subsec_nanos
    }

    /// Seconds since the Unix epoch as a floating-point number (lossy for large values).
    pub fn as_secs_f64(&self) -> f64 {
        self.seconds as f64 + f64::from(self.subsec_nanos) / 1e9
    }

    /// Milliseconds since the Unix epoch, rounded toward negative infinity.
    ///
    /// # Errors
    ///
    /// When the result does not fit in an `i64` (about 292 million years from 1970).
    pub fn to_millis(&self) -> Result<i64, DateTimeError> {
        let millis = i128::from(self.seconds) * 1000 + i128::from(self.subsec_nanos / 1_000_000);
        i64::try_from(millis).map_err(|_| {
            DateTimeError::new(ErrorKind::OutOfRange, Context::Millis, &self.to_string())
        })
    }

    /// Writes this instant in the given wire format.
    ///
    /// This never fails. Years outside 0001..=9999 (which only instants more than about
    /// 8 000 years from now have) are written with a sign or more digits, in the style of
    /// ISO 8601's expanded years, and the parsers reject them.
    pub fn fmt(&self, format: Format) -> String {
        match format {
            Format::DateTime => self.fmt_date_time(),
            Format::HttpDate => self.fmt_http_date(),
            Format::EpochSeconds => self.fmt_epoch_seconds(),
        }
    }

    /// Parses `text` in the given wire format; see the `parse_*` functions for the details.
    ///
    /// # Errors
    ///
    /// When `text` is not a valid timestamp in that format.
    pub fn parse(text: &str, format: Format) -> Result<Self, DateTimeError> {
        match format {
            Format::DateTime => Self::parse_date_time(text),
            Format::HttpDate => Self::parse_http_date(text),
            Format::EpochSeconds => Self::parse_epoch_seconds(text),
        }
    }

    /// Writes the RFC 3339 form in UTC, e.g. `2014-06-30T12:00:00Z`.
    ///
    /// Fractional seconds appear only when nonzero, without trailing zeros:
    /// `2014-06-30T12:00:00.5Z`, `2014-06-30T12:00:00.123456789Z`.
    pub fn fmt_date_time(&self) -> String {
        let mut out = String::with_capacity(30);
        let _ = self.write_date_time(&mut out);
        out
    }

    /// Writes the IMF-fixdate of RFC 7231, e.g. `Mon, 30 Jun 2014 12:00:00 GMT`.
    ///
    /// The format has no fractional seconds: any nanoseconds are dropped (truncated).
    pub fn fmt_http_date(&self) -> String {
        let mut out = String::with_capacity(29);
        let _ = self.write_http_date(&mut out);
        out
    }

    /// Writes seconds since the Unix epoch: an integer when there are no nanoseconds, else a
    /// decimal with up to nine fraction digits and no trailing zeros (`1398796238.123`).
    /// Instants before the epoch are negative: 1.5 s before it is `-1.5`.
    pub fn fmt_epoch_seconds(&self) -> String {
        let mut out = String::with_capacity(30);
        let _ = self.write_epoch_seconds(&mut out);
        out
    }

    /// Parses an RFC 3339 date-time: `YYYY-MM-DDTHH:MM:SS[.fraction]` followed by `Z` or a
    /// UTC offset `+HH:MM` / `-HH:MM`, which is applied.
    ///
    /// A lowercase `t` and `z` are accepted. The fraction has one or more digits; digits
    /// beyond the ninth (finer than a nanosecond) are ignored, which truncates. Years must be
    /// 0001..=9999, and months, days (leap years included), hours, minutes and seconds must be
    /// in range. A leap second (second `60`) is rejected, since Unix time cannot represent
    /// it. No surrounding whitespace is allowed.
    ///
    /// # Errors
    ///
    /// When `text` is not such a date-time; the error says what was wrong.
    ///
    /// ```
    /// use botogen_runtime::DateTime;
    ///
    /// let t = DateTime::parse_date_time("1970-01-01T05:30:00.000000001+05:30")?;
    /// assert_eq!((t.secs(), t.subsec_nanos()), (0, 1));
    /// let err = DateTime::parse_date_time("2014-13-01T00:00:00Z").unwrap_err();
    /// assert_eq!(
    ///     err.to_string(),
    ///     r#"invalid date-time "2014-13-01T00:00:00Z": month out of range"#,
    /// );
    /// # Ok::<(), botogen_runtime::datetime::DateTimeError>(())
    /// ```
    pub fn parse_date_time(text: &str) -> Result<Self, DateTimeError> {
        parse_rfc3339(text).map_err(|kind| DateTimeError::new(kind, Context::DateTime, text))
    }

    /// Parses an HTTP date in any of the three forms RFC 7231 (section 7.1.1.1) requires
    /// recipients to accept:
    ///
    /// * IMF-fixdate, `Sun, 06 Nov 1994 08:49:37 GMT`; fractional seconds are accepted too
    ///   (`Tue, 29 Apr 2014 18:30:38.123 GMT`, as some AWS services send), as is a one-digit
    ///   day;
    /// * the obsolete RFC 850 form, `Sunday, 06-Nov-94 08:49:37 GMT`, whose two-digit year is
    ///   taken, as RFC 7231 says, to be within 50 years of the current year (by the system
    ///   clock);
    /// * the obsolete asctime form, `Sun Nov  6 08:49:37 1994`.
    ///
    /// Day and month names and `GMT` are matched without regard to case. The day name must be
    /// a real one (short or long) but is not checked against the date: a wrong weekday is
    /// accepted silently. Ranges are checked as in [`parse_date_time`](Self::parse_date_time)
    /// (leap seconds rejected).
    ///
    /// # Errors
    ///
    /// When `text` is not such a date; the error says what was wrong.
    ///
    /// ```
    /// use botogen_runtime::DateTime;
    ///
    /// let imf = DateTime::parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT")?;
    /// let asctime = DateTime::parse_http_date("Sun Nov  6 08:49:37 1994")?;
    /// assert_eq!(imf, asctime);
    /// assert_eq!(imf.secs(), 784_111_777);
    /// # Ok::<(), botogen_runtime::datetime::DateTimeError>(())
    /// ```
    pub fn parse_http_date(text: &str) -> Result<Self, DateTimeError> {
        parse_http(text).map_err(|kind| DateTimeError::new(kind, Context::HttpDate, text))
    }

    /// Parses seconds since the Unix epoch: an optional `-`, digits, an optional fraction
    /// (`.` and digits) and an optional exponent (`e` or `E`, an optional sign, digits), as
    /// in a JSON number. `1398796238`, `1398796238.123`, `-1.5` and `1.398796238E9` are all
    /// accepted.
    ///
    /// The decimal text is converted exactly (not through `f64`) and rounded to the nearest
    /// nanosecond (halves away from zero). No surrounding whitespace is allowed.
    ///
    /// # Errors
    ///
    /// When `text` is not such a number, or its whole seconds do not fit in an `i64`.
    ///
    /// ```
    /// use botogen_runtime::DateTime;
    ///
    /// let t = DateTime::parse_epoch_seconds("1.398796238123E9")?;
    /// assert_eq!((t.secs(), t.subsec_nanos()), (1_398_796_238, 123_000_000));
    /// assert!(DateTime::parse_epoch_seconds("12abc").is_err());
    /// # Ok::<(), botogen_runtime::datetime::DateTimeError>(())
    /// ```
    pub fn parse_epoch_seconds(text: &str) -> Result<Self, DateTimeError> {
        parse_epoch(text).map_err(|kind| DateTimeError::new(kind, Context::EpochSeconds, text))
    }

    fn civil(&self) -> Civil {
        let days = self.seconds.div_euclid(SECS_PER_DAY);
        let secs_of_day = self.seconds.rem_euclid(SECS_PER_DAY);
        let (year, month, day) = civil_from_days(days);
        Civil {
            year,
            month,
            day,
            hour: (secs_of_day / 3600) as u32,
            minute: (secs_of_day / 60 % 60) as u32,
            second: (secs_of_day % 60) as u32,
            // 1970-01-01 was a Thursday.
            weekday: (days + 4).rem_euclid(7) as usize,
        }
    }

    fn write_date_time(&self, w: &mut impl fmt::Write) -> fmt::Result {
        let c = self.civil();
        write_year(w, c.year)?;
        write!(
            w,
            "-{:02}-{:02}T{:02}:{:02}:{:02}",
            c.month, c.day, c.hour, c.minute, c.second
        )?;
        write_fraction(w, self.subsec_nanos)?;
        w.write_char('Z')
    }

    fn write_http_date(&self, w: &mut impl fmt::Write) -> fmt::Result {
        let c = self.civil();
        let weekday = WEEKDAYS.get(c.weekday).copied().unwrap_or("???");
        let month = month_name(c.month);
        write!(w, "{weekday}, {:02} {month} ", c.day)?;
        write_year(w, c.year)?;
        write!(w, " {:02}:{:02}:{:02} GMT", c.hour, c.minute, c.second)
    }

    fn write_epoch_seconds(&self, w: &mut impl fmt::Write) -> fmt::Result {
        if self.subsec_nanos == 0 {
            write!(w, "{}", self.seconds)
        } else if self.seconds >= 0 {
            write!(w, "{}", self.seconds)?;
            write_fraction(w, self.subsec_nanos)
        } else {
            // seconds + nanos = -(|seconds + 1| + (1e9 - nanos) / 1e9); `seconds + 1` cannot
            // overflow as seconds is negative.
            write!(w, "-{}", (self.seconds + 1).unsigned_abs())?;
            write_fraction(w, NANOS_PER_SEC - self.subsec_nanos)
        }
    }
}

impl fmt::Display for DateTime {
    /// Writes the RFC 3339 form, as [`DateTime::fmt_date_time`] does.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write_date_time(f)
    }
}

impl fmt::Debug for DateTime {
    /// Writes the RFC 3339 form, as [`Display`](fmt::Display) does.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write_date_time(f)
    }
}

impl FromStr for DateTime {
    type Err = DateTimeError;

    /// Parses the RFC 3339 form, as [`DateTime::parse_date_time`] does.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse_date_time(s)
    }
}

impl From<SystemTime> for DateTime {
    /// Converts a system time, including one before the Unix epoch. Times beyond the range
    /// of `i64` seconds (which no platform produces) saturate.
    fn from(time: SystemTime) -> Self {
        match time.duration_since(UNIX_EPOCH) {
            Ok(after) => DateTime {
                seconds: i64::try_from(after.as_secs()).unwrap_or(i64::MAX),
                subsec_nanos: after.subsec_nanos(),
            },
            Err(before) => {
                let before = before.duration();
                let secs = i64::try_from(before.as_secs()).unwrap_or(i64::MAX);
                match before.subsec_nanos() {
                    0 => DateTime::from_secs(-secs),
                    nanos => DateTime {
                        seconds: (-secs).saturating_sub(1),
                        subsec_nanos: NANOS_PER_SEC - nanos,
                    },
                }
            }
        }
    }
}

impl TryFrom<DateTime> for SystemTime {
    type Error = DateTimeError;

    /// Converts to a system time, including instants before the Unix epoch.
    ///
    /// # Errors
    ///
    /// When the platform's `SystemTime` cannot represent the instant.
    fn try_from(time: DateTime) -> Result<Self, Self::Error> {
        let converted = if time.seconds >= 0 {
            UNIX_EPOCH.checked_add(Duration::new(
                time.seconds.unsigned_abs(),
                time.subsec_nanos,
            ))
        } else {
            Duration::from_secs(time.seconds.unsigned_abs())
                .checked_sub(Duration::from_nanos(u64::from(time.subsec_nanos)))
                .and_then(|before| UNIX_EPOCH.checked_sub(before))
        };
        converted.ok_or_else(|| {
            DateTimeError::new(
                ErrorKind::OutOfRange,
                Context::SystemTime,
                &time.to_string(),
            )
        })
    }
}

/// The error from parsing or converting a [`DateTime`].
///
/// Its [`Display`](fmt::Display) text says which format was expected, quotes the offending
/// input (cut to 64 characters) and says what was wrong, for example
/// `invalid date-time "2014-13-01T00:00:00Z": month out of range`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateTimeError {
    kind: ErrorKind,
    context: Context,
    input: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Context {
    DateTime,
    HttpDate,
    EpochSeconds,
    SecsF64,
    Millis,
    SystemTime,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ErrorKind {
    Expected(&'static str),
    TrailingCharacters,
    YearOutOfRange,
    MonthOutOfRange,
    DayOutOfRange,
    HourOutOfRange,
    MinuteOutOfRange,
    SecondOutOfRange,
    LeapSecond,
    OffsetOutOfRange,
    UnknownMonth,
    UnknownWeekday,
    NotFinite,
    OutOfRange,
}

impl DateTimeError {
    fn new(kind: ErrorKind, context: Context, input: &str) -> Self {
        const MAX_CHARS: usize = 64;
        let input = match input.char_indices().nth(MAX_CHARS) {
            Some((cut, _)) => format!("{}…", input.get(..cut).unwrap_or_default()),
            None => input.to_owned(),
        };
        DateTimeError {
            kind,
            context,
            input,
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match self {
            ErrorKind::Expected(what) => return write!(f, "expected {what}"),
            ErrorKind::TrailingCharacters => "unexpected characters after the end",
            ErrorKind::YearOutOfRange => "year out of range (supported: 0001 to 9999)",
            ErrorKind::MonthOutOfRange => "month out of range",
            ErrorKind::DayOutOfRange => "day out of range for the month",
            ErrorKind::HourOutOfRange => "hour out of range",
            ErrorKind::MinuteOutOfRange => "minute out of range",
            ErrorKind::SecondOutOfRange => "second out of range",
            ErrorKind::LeapSecond => "leap seconds (second 60) are not supported",
            ErrorKind::OffsetOutOfRange => "UTC offset out of range",
            ErrorKind::UnknownMonth => "unknown month name",
            ErrorKind::UnknownWeekday => "unknown day name",
            ErrorKind::NotFinite => "not a finite number",
            ErrorKind::OutOfRange => "timestamp out of range",
        };
        f.write_str(text)
    }
}

impl fmt::Display for DateTimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let input = self.input.escape_debug();
        let kind = self.kind;
        match self.context {
            Context::DateTime => write!(f, "invalid date-time \"{input}\": {kind}"),
            Context::HttpDate => write!(f, "invalid HTTP date \"{input}\": {kind}"),
            Context::EpochSeconds => {
                write!(f, "invalid epoch-seconds timestamp \"{input}\": {kind}")
            }
            Context::SecsF64 => write!(f, "invalid epoch-seconds value {input}: {kind}"),
            Context::Millis => write!(
                f,
                "cannot express {input} in milliseconds since the epoch: out of range for i64"
            ),
            Context::SystemTime => write!(
                f,
                "cannot convert {input} to a SystemTime: out of range for this platform"
            ),
        }
    }
}

impl Error for DateTimeError {}

/// A [`DateTime`] broken down into calendar fields (UTC).
struct Civil {
    year: i64,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
    /// 0 is Sunday.
    weekday: usize,
}

/// Days since 1970-01-01 of a date in the proleptic Gregorian calendar (Howard Hinnant's
/// `days_from_civil`). `month` is 1..=12 and `day` 1..=31.
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400; // 0..=399
    let month = i64::from(month);
    let shifted_month = if month > 2 { month - 3 } else { month + 9 }; // March is 0
    let day_of_year = (153 * shifted_month + 2) / 5 + i64::from(day) - 1; // 0..=365
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The (year, month, day) of a count of days since 1970-01-01 (Howard Hinnant's
/// `civil_from_days`). Cannot overflow for any day count derived from `i64` seconds.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let days = days + 719_468; // days since 0000-03-01
    let era = days.div_euclid(146_097);
    let day_of_era = days - era * 146_097; // 0..=146_096
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153; // March is 0
    let day = (day_of_year - (153 * shifted_month + 2) / 5 + 1) as u32;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    } as u32;
    let year = year_of_era + era * 400;
    (if month <= 2 { year + 1 } else { year }, month, day)
}

fn is_leap_year(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if is_leap_year(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn month_name(month: u32) -> &'static str {
    MONTHS
        .get((month as usize).wrapping_sub(1))
        .copied()
        .unwrap_or("???")
}

fn write_year(w: &mut impl fmt::Write, year: i64) -> fmt::Result {
    if (0..=9999).contains(&year) {
        write!(w, "{year:04}")
    } else if year < 0 {
        write!(w, "-{:04}", year.unsigned_abs())
    } else {
        write!(w, "+{year}")
    }
}

/// Writes `.` and the nanoseconds without trailing zeros; nothing for zero.
fn write_fraction(w: &mut impl fmt::Write, nanos: u32) -> fmt::Result {
    if nanos == 0 {
        return Ok(());
    }
    let mut digits = nanos;
    let mut width = 9;
    while digits.is_multiple_of(10) {
        digits /= 10;
        width -= 1;
    }
    write!(w, ".{digits:0width$}")
}

/// A position in the text being parsed.
struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn new(text: &'a str) -> Self {
        Cursor {
            bytes: text.as_bytes(),
            pos: 0,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn eat(&mut self, byte: u8) -> bool {
        let found = self.peek() == Some(byte);
        if found {
            self.pos += 1;
        }
        found
    }

    fn expect(&mut self, byte: u8, what: &'static str) -> Result<(), ErrorKind> {
        if self.eat(byte) {
            Ok(())
        } else {
            Err(ErrorKind::Expected(what))
        }
    }

    fn digit(&mut self) -> Option<u32> {
        let digit = self.peek().filter(u8::is_ascii_digit)?;
        self.pos += 1;
        Some(u32::from(digit - b'0'))
    }

    /// Exactly `count` (at most 9) digits.
    fn digits(&mut self, count: usize, what: &'static str) -> Result<u32, ErrorKind> {
        let mut value = 0;
        for _ in 0..count {
            let digit = self.digit().ok_or(ErrorKind::Expected(what))?;
            value = value * 10 + digit;
        }
        Ok(value)
    }

    /// One or two digits.
    fn one_or_two_digits(&mut self, what: &'static str) -> Result<u32, ErrorKind> {
        let first = self.digit().ok_or(ErrorKind::Expected(what))?;
        Ok(match self.digit() {
            Some(second) => first * 10 + second,
            None => first,
        })
    }

    /// A possibly empty run of ASCII letters.
    fn word(&mut self) -> &'a [u8] {
        let start = self.pos;
        while self.peek().is_some_and(|b| b.is_ascii_alphabetic()) {
            self.pos += 1;
        }
        self.bytes.get(start..self.pos).unwrap_or_default()
    }

    /// The digits after a decimal point, as nanoseconds; digits past the ninth are ignored.
    fn fraction(&mut self) -> Result<u32, ErrorKind> {
        let mut nanos = 0;
        let mut count = 0;
        while let Some(digit) = self.digit() {
            if count < 9 {
                nanos = nanos * 10 + digit;
            }
            count += 1;
        }
        if count == 0 {
            return Err(ErrorKind::Expected("a digit after '.'"));
        }
        for _ in count..9 {
            nanos *= 10;
        }
        Ok(nanos)
    }

    fn end(&self) -> Result<(), ErrorKind> {
        if self.pos == self.bytes.len() {
            Ok(())
        } else {
            Err(ErrorKind::TrailingCharacters)
        }
    }
}

/// Parsed calendar fields, not yet checked.
struct Fields {
    year: i64,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
    nanos: u32,
}

impl Fields {
    /// Checks the ranges and converts to an instant, subtracting `offset` seconds.
    fn to_date_time(&self, offset: i64) -> Result<DateTime, ErrorKind> {
        if !(1..=9999).contains(&self.year) {
            return Err(ErrorKind::YearOutOfRange);
        }
        if !(1..=12).contains(&self.month) {
            return Err(ErrorKind::MonthOutOfRange);
        }
        if self.day < 1 || self.day > days_in_month(self.year, self.month) {
            return Err(ErrorKind::DayOutOfRange);
        }
        if self.hour > 23 {
            return Err(ErrorKind::HourOutOfRange);
        }
        if self.minute > 59 {
            return Err(ErrorKind::MinuteOutOfRange);
        }
        match self.second {
            0..=59 => {}
            60 => return Err(ErrorKind::LeapSecond),
            _ => return Err(ErrorKind::SecondOutOfRange),
        }
        let days = days_from_civil(self.year, self.month, self.day);
        let secs_of_day = i64::from(self.hour * 3600 + self.minute * 60 + self.second);
        Ok(DateTime {
            seconds: days * SECS_PER_DAY + secs_of_day - offset,
            subsec_nanos: self.nanos,
        })
    }
}

/// `HH:MM:SS[.fraction]` as (hour, minute, second, nanos).
fn time_of_day(c: &mut Cursor<'_>) -> Result<(u32, u32, u32, u32), ErrorKind> {
    let hour = c.digits(2, "a two-digit hour")?;
    c.expect(b':', "':' after the hour")?;
    let minute = c.digits(2, "a two-digit minute")?;
    c.expect(b':', "':' after the minute")?;
    let second = c.digits(2, "a two-digit second")?;
    let nanos = if c.eat(b'.') { c.fraction()? } else { 0 };
    Ok((hour, minute, second, nanos))
}

fn parse_rfc3339(text: &str) -> Result<DateTime, ErrorKind> {
    let mut c = Cursor::new(text);
    let year = c.digits(4, "a four-digit year")?;
    c.expect(b'-', "'-' after the year")?;
    let month = c.digits(2, "a two-digit month")?;
    c.expect(b'-', "'-' after the month")?;
    let day = c.digits(2, "a two-digit day")?;
    if !(c.eat(b'T') || c.eat(b't')) {
        return Err(ErrorKind::Expected("'T' between the date and the time"));
    }
    let (hour, minute, second, nanos) = time_of_day(&mut c)?;
    let offset = match c.peek() {
        Some(b'Z' | b'z') => {
            c.pos += 1;
            0
        }
        Some(sign @ (b'+' | b'-')) => {
            c.pos += 1;
            let hours = c.digits(2, "a two-digit hour in the UTC offset")?;
            c.expect(b':', "':' in the UTC offset")?;
            let minutes = c.digits(2, "two-digit minutes in the UTC offset")?;
            if hours > 23 || minutes > 59 {
                return Err(ErrorKind::OffsetOutOfRange);
            }
            let offset = i64::from(hours * 3600 + minutes * 60);
            if sign == b'-' { -offset } else { offset }
        }
        _ => return Err(ErrorKind::Expected("'Z' or a UTC offset such as '+05:30'")),
    };
    c.end()?;
    Fields {
        year: i64::from(year),
        month,
        day,
        hour,
        minute,
        second,
        nanos,
    }
    .to_date_time(offset)
}

fn parse_month(c: &mut Cursor<'_>) -> Result<u32, ErrorKind> {
    let word = c.word();
    MONTHS
        .iter()
        .zip(1..)
        .find(|(name, _)| name.as_bytes().eq_ignore_ascii_case(word))
        .map(|(_, month)| month)
        .ok_or(ErrorKind::UnknownMonth)
}

fn expect_gmt(c: &mut Cursor<'_>) -> Result<(), ErrorKind> {
    if c.word().eq_ignore_ascii_case(b"GMT") {
        Ok(())
    } else {
        Err(ErrorKind::Expected("'GMT'"))
    }
}

fn parse_http(text: &str) -> Result<DateTime, ErrorKind> {
    let mut c = Cursor::new(text);
    let weekday = c.word();
    let known = |names: &[&str]| {
        names
            .iter()
            .any(|n| n.as_bytes().eq_ignore_ascii_case(weekday))
    };
    if !known(&WEEKDAYS) && !known(&WEEKDAYS_LONG) {
        return Err(ErrorKind::UnknownWeekday);
    }
    let fields = if c.eat(b',') {
        c.expect(b' ', "' ' after the day name")?;
        let day = c.one_or_two_digits("a day of the month")?;
        if c.eat(b' ') {
            // IMF-fixdate: `Sun, 06 Nov 1994 08:49:37 GMT`.
            let month = parse_month(&mut c)?;
            c.expect(b' ', "' ' after the month")?;
            let year = c.digits(4, "a four-digit year")?;
            c.expect(b' ', "' ' after the year")?;
            let (hour, minute, second, nanos) = time_of_day(&mut c)?;
            c.expect(b' ', "' ' after the time")?;
            expect_gmt(&mut c)?;
            Fields {
                year: i64::from(year),
                month,
                day,
                hour,
                minute,
                second,
                nanos,
            }
        } else if c.eat(b'-') {
            // RFC 850: `Sunday, 06-Nov-94 08:49:37 GMT`.
            let month = parse_month(&mut c)?;
            c.expect(b'-', "'-' after the month")?;
            let year = c.digits(2, "a two-digit year")?;
            c.expect(b' ', "' ' after the year")?;
            let (hour, minute, second, nanos) = time_of_day(&mut c)?;
            c.expect(b' ', "' ' after the time")?;
            expect_gmt(&mut c)?;
            Fields {
                year: rfc850_year(year, DateTime::from(SystemTime::now()).civil().year),
                month,
                day,
                hour,
                minute,
                second,
                nanos,
            }
        } else {
            return Err(ErrorKind::Expected("' ' or '-' after the day of the month"));
        }
    } else if c.eat(b' ') {
        // asctime: `Sun Nov  6 08:49:37 1994`.
        let month = parse_month(&mut c)?;
        c.expect(b' ', "' ' after the month")?;
        let day = if c.eat(b' ') {
            c.digits(1, "a day of the month")?
        } else {
            c.digits(2, "a day of the month")?
        };
        c.expect(b' ', "' ' after the day of the month")?;
        let (hour, minute, second, nanos) = time_of_day(&mut c)?;
        c.expect(b' ', "' ' after the time")?;
        let year = c.digits(4, "a four-digit year")?;
        Fields {
            year: i64::from(year),
            month,
            day,
            hour,
            minute,
            second,
            nanos,
        }
    } else {
        return Err(ErrorKind::Expected("',' or ' ' after the day name"));
    };
    c.end()?;
    fields.to_date_time(0)
}

/// The four-digit year of an RFC 850 two-digit year: the one with those last two digits
/// within (current - 50, current + 50], per RFC 7231.
fn rfc850_year(two_digits: u32, current_year: i64) -> i64 {
    let year = current_year.div_euclid(100) * 100 + i64::from(two_digits);
    if year > current_year + 50 {
        year - 100
    } else if year <= current_year - 50 {
        year + 100
    } else {
        year
    }
}

fn parse_epoch(text: &str) -> Result<DateTime, ErrorKind> {
    let bytes = text.as_bytes();
    let mut c = Cursor::new(text);
    let negative = c.eat(b'-');
    let int_start = c.pos;
    while c.digit().is_some() {}
    let int_digits = bytes.get(int_start..c.pos).unwrap_or_default();
    if int_digits.is_empty() {
        return Err(ErrorKind::Expected("a digit"));
    }
    let mut frac_digits: &[u8] = &[];
    if c.eat(b'.') {
        let start = c.pos;
        while c.digit().is_some() {}
        frac_digits = bytes.get(start..c.pos).unwrap_or_default();
        if frac_digits.is_empty() {
            return Err(ErrorKind::Expected("a digit after '.'"));
        }
    }
    let mut exponent: i64 = 0;
    if c.eat(b'e') || c.eat(b'E') {
        let exp_negative = if c.eat(b'-') {
            true
        } else {
            c.eat(b'+');
            false
        };
        let first = c
            .digit()
            .ok_or(ErrorKind::Expected("a digit in the exponent"))?;
        exponent = i64::from(first);
        while let Some(digit) = c.digit() {
            // Saturate: any exponent beyond a million overflows or underflows anyway.
            exponent = (exponent * 10 + i64::from(digit)).min(1_000_000);
        }
        if exp_negative {
            exponent = -exponent;
        }
    }
    c.end()?;

    // The value is 0.D × 10^point, with D the significant digits (leading zeros removed).
    let digits: Vec<u8> = int_digits.iter().chain(frac_digits).copied().collect();
    let leading_zeros = digits.iter().take_while(|&&d| d == b'0').count();
    let digits = digits.get(leading_zeros..).unwrap_or_default();
    let point = int_digits.len() as i64 - leading_zeros as i64 + exponent;
    let digit_at = |index: i64| -> u64 {
        usize::try_from(index)
            .ok()
            .and_then(|i| digits.get(i))
            .map_or(0, |d| u64::from(d - b'0'))
    };
    if digits.is_empty() {
        return Ok(DateTime::UNIX_EPOCH);
    }
    if point > 19 {
        return Err(ErrorKind::OutOfRange);
    }
    let mut whole: u64 = 0;
    for index in 0..point {
        whole = whole
            .checked_mul(10)
            .and_then(|w| w.checked_add(digit_at(index)))
            .ok_or(ErrorKind::OutOfRange)?;
    }
    let mut nanos: u64 = 0;
    for index in point..point + 9 {
        nanos = nanos * 10 + digit_at(index);
    }
    if digit_at(point + 9) >= 5 {
        nanos += 1;
        if nanos == u64::from(NANOS_PER_SEC) {
            nanos = 0;
            whole = whole.checked_add(1).ok_or(ErrorKind::OutOfRange)?;
        }
    }
    let nanos = nanos as u32; // < 1e9
    if !negative {
        let seconds = i64::try_from(whole).map_err(|_| ErrorKind::OutOfRange)?;
        Ok(DateTime {
            seconds,
            subsec_nanos: nanos,
        })
    } else if nanos == 0 {
        let seconds = 0i64
            .checked_sub_unsigned(whole)
            .ok_or(ErrorKind::OutOfRange)?;
        Ok(DateTime::from_secs(seconds))
    } else {
        let seconds = (-1i64)
            .checked_sub_unsigned(whole)
            .ok_or(ErrorKind::OutOfRange)?;
        Ok(DateTime {
            seconds,
            subsec_nanos: NANOS_PER_SEC - nanos,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dt(seconds: i64, nanos: u32) -> DateTime {
        DateTime::from_secs_and_nanos(seconds, nanos)
    }

    fn iso(text: &str) -> DateTime {
        match DateTime::parse_date_time(text) {
            Ok(t) => t,
            Err(e) => panic!("{e}"),
        }
    }

    fn http(text: &str) -> DateTime {
        match DateTime::parse_http_date(text) {
            Ok(t) => t,
            Err(e) => panic!("{e}"),
        }
    }

    fn epoch(text: &str) -> DateTime {
        match DateTime::parse_epoch_seconds(text) {
            Ok(t) => t,
            Err(e) => panic!("{e}"),
        }
    }

    fn iso_err(text: &str) -> String {
        match DateTime::parse_date_time(text) {
            Ok(t) => panic!("{text:?} parsed as {t}"),
            Err(e) => e.to_string(),
        }
    }

    fn http_err(text: &str) -> String {
        match DateTime::parse_http_date(text) {
            Ok(t) => panic!("{text:?} parsed as {t}"),
            Err(e) => e.to_string(),
        }
    }

    fn epoch_err(text: &str) -> String {
        match DateTime::parse_epoch_seconds(text) {
            Ok(t) => panic!("{text:?} parsed as {t:?}"),
            Err(e) => e.to_string(),
        }
    }

    struct XorShift(u64);

    impl XorShift {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
    }

    /// Seconds of 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z.
    const MIN_TEXT_SECS: i64 = -62_135_596_800;
    const MAX_TEXT_SECS: i64 = 253_402_300_799;

    #[test]
    fn constructors_normalize() {
        assert_eq!(DateTime::from_secs(5), dt(5, 0));
        assert_eq!(
            dt(1, 2_500_000_000),
            DateTime::from_secs_and_nanos(3, 500_000_000)
        );
        assert_eq!(dt(i64::MAX, 1_000_000_000).secs(), i64::MAX);
        assert_eq!(DateTime::from_millis(1500), dt(1, 500_000_000));
        assert_eq!(DateTime::from_millis(-1500), dt(-2, 500_000_000));
        assert_eq!(DateTime::from_millis(-1000), dt(-1, 0));
        assert_eq!(DateTime::from_millis(-1), dt(-1, 999_000_000));
        assert_eq!(DateTime::from_millis(i64::MIN).to_millis(), Ok(i64::MIN));
        assert_eq!(DateTime::from_millis(i64::MAX).to_millis(), Ok(i64::MAX));
        assert_eq!(dt(-2, 500_000_000).to_millis(), Ok(-1500));
        assert_eq!(dt(-1, 999_999_999).to_millis(), Ok(-1));
        assert_eq!(dt(0, 999_999).to_millis(), Ok(0));
        assert!(DateTime::from_secs(i64::MAX).to_millis().is_err());
        assert!(DateTime::from_secs(i64::MIN).to_millis().is_err());
        assert_eq!(DateTime::UNIX_EPOCH, DateTime::from_secs(0));
    }

    #[test]
    fn ordering_follows_the_instant() {
        let mut times = vec![dt(1, 0), dt(-1, 999_999_999), dt(0, 1), dt(-2, 0), dt(0, 0)];
        times.sort();
        assert_eq!(
            times,
            vec![dt(-2, 0), dt(-1, 999_999_999), dt(0, 0), dt(0, 1), dt(1, 0)]
        );
    }

    #[test]
    fn secs_f64() {
        let t = DateTime::from_secs_f64(1.1).unwrap();
        assert_eq!((t.secs(), t.subsec_nanos()), (1, 100_000_000));
        let t = DateTime::from_secs_f64(-1.5).unwrap();
        assert_eq!((t.secs(), t.subsec_nanos()), (-2, 500_000_000));
        let t = DateTime::from_secs_f64(-0.1).unwrap();
        assert_eq!((t.secs(), t.subsec_nanos()), (-1, 900_000_000));
        assert_eq!(DateTime::from_secs_f64(-1e-12).unwrap(), dt(0, 0));
        assert_eq!(DateTime::from_secs_f64(0.999_999_999_9).unwrap(), dt(1, 0));
        assert_eq!(DateTime::from_secs_f64(-0.0).unwrap(), dt(0, 0));
        let t = DateTime::from_secs_f64(1_398_796_238.123).unwrap();
        assert_eq!(t.secs(), 1_398_796_238);
        assert!((t.subsec_nanos() as i64 - 123_000_000).abs() < 1000);
        assert_eq!(
            DateTime::from_secs_f64(-9_223_372_036_854_775_808.0).unwrap(),
            dt(i64::MIN, 0)
        );
        for bad in [
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            9_223_372_036_854_775_808.0,
            1e300,
            -1e300,
        ] {
            assert!(DateTime::from_secs_f64(bad).is_err(), "{bad}");
        }
        assert_eq!(
            DateTime::from_secs_f64(f64::NAN).unwrap_err().to_string(),
            "invalid epoch-seconds value NaN: not a finite number"
        );
        assert_eq!(dt(-2, 500_000_000).as_secs_f64(), -1.5);
        assert_eq!(dt(1_398_796_238, 0).as_secs_f64(), 1_398_796_238.0);
    }

    #[test]
    fn system_time_round_trips() {
        let cases = [
            dt(0, 0),
            dt(1, 0),
            dt(0, 1),
            dt(-1, 0),
            dt(-1, 1),
            dt(-2, 500_000_000),
            dt(1_700_000_000, 123_456_789),
            dt(-1_700_000_000, 999_999_999),
        ];
        for t in cases {
            let system = SystemTime::try_from(t).unwrap();
            assert_eq!(DateTime::from(system), t, "{t}");
        }
        let before = UNIX_EPOCH - Duration::new(1, 500_000_000);
        assert_eq!(DateTime::from(before), dt(-2, 500_000_000));
        assert_eq!(SystemTime::try_from(dt(-2, 500_000_000)).unwrap(), before);
        let after = UNIX_EPOCH + Duration::new(7, 5);
        assert_eq!(DateTime::from(after), dt(7, 5));
        // Whatever the platform, the conversion of extreme values must not panic.
        let _ = SystemTime::try_from(dt(i64::MAX, 999_999_999));
        let _ = SystemTime::try_from(dt(i64::MIN, 0));
        let _ = SystemTime::try_from(dt(i64::MIN, 1));
        let now = SystemTime::now();
        assert_eq!(SystemTime::try_from(DateTime::from(now)).unwrap(), now);
    }

    #[test]
    fn civil_algorithms_match_a_day_by_day_count() {
        // Walk every day from 1600-01-01 to 2500-12-31 and compare.
        let mut days = days_from_civil(1600, 1, 1);
        assert_eq!(days, -135_140);
        for year in 1600..=2500 {
            for month in 1..=12 {
                for day in 1..=days_in_month(year, month) {
                    assert_eq!(days_from_civil(year, month, day), days);
                    assert_eq!(civil_from_days(days), (year, month, day));
                    days += 1;
                }
            }
        }
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(1, 1, 1), -719_162);
        assert_eq!(days_from_civil(9999, 12, 31), 2_932_896);
        assert_eq!(civil_from_days(-719_163), (0, 12, 31));
        assert_eq!(civil_from_days(-719_162 - 366), (0, 1, 1));
        assert_eq!(civil_from_days(-719_162 - 367), (-1, 12, 31));
        // Extremes must not overflow.
        let _ = DateTime::from_secs(i64::MAX).civil();
        let _ = DateTime::from_secs(i64::MIN).civil();
    }

    #[test]
    fn leap_years() {
        assert!(is_leap_year(2000));
        assert!(is_leap_year(2024));
        assert!(!is_leap_year(1900));
        assert!(!is_leap_year(2100));
        assert!(!is_leap_year(2023));
    }

    #[test]
    fn weekdays() {
        assert_eq!(DateTime::from_secs(0).civil().weekday, 4); // Thursday
        assert_eq!(DateTime::from_secs(-1).civil().weekday, 3); // Wednesday
        assert_eq!(iso("2014-06-30T12:00:00Z").civil().weekday, 1); // Monday
        assert_eq!(iso("2000-02-29T00:00:00Z").civil().weekday, 2); // Tuesday
        assert_eq!(iso("0001-01-01T00:00:00Z").civil().weekday, 1); // Monday
    }

    #[test]
    fn format_date_time() {
        assert_eq!(dt(0, 0).fmt_date_time(), "1970-01-01T00:00:00Z");
        assert_eq!(dt(-1, 0).fmt_date_time(), "1969-12-31T23:59:59Z");
        assert_eq!(
            dt(-2, 500_000_000).fmt_date_time(),
            "1969-12-31T23:59:58.5Z"
        );
        assert_eq!(dt(1_404_129_600, 0).fmt_date_time(), "2014-06-30T12:00:00Z");
        assert_eq!(
            dt(1_404_129_600, 500_000_000).fmt_date_time(),
            "2014-06-30T12:00:00.5Z"
        );
        assert_eq!(
            dt(1_404_129_600, 123_456_789).fmt_date_time(),
            "2014-06-30T12:00:00.123456789Z"
        );
        assert_eq!(
            dt(1_404_129_600, 1).fmt_date_time(),
            "2014-06-30T12:00:00.000000001Z"
        );
        assert_eq!(
            dt(1_404_129_600, 120_000).fmt_date_time(),
            "2014-06-30T12:00:00.00012Z"
        );
        assert_eq!(
            dt(MAX_TEXT_SECS, 999_999_999).fmt_date_time(),
            "9999-12-31T23:59:59.999999999Z"
        );
        assert_eq!(dt(MIN_TEXT_SECS, 0).fmt_date_time(), "0001-01-01T00:00:00Z");
        assert_eq!(dt(951_782_400, 0).fmt_date_time(), "2000-02-29T00:00:00Z");
        // Outside the text range: still written, never a panic.
        assert_eq!(
            dt(MAX_TEXT_SECS + 1, 0).fmt_date_time(),
            "+10000-01-01T00:00:00Z"
        );
        assert_eq!(
            dt(MIN_TEXT_SECS - 1, 0).fmt_date_time(),
            "0000-12-31T23:59:59Z"
        );
        assert_eq!(
            dt(MIN_TEXT_SECS - 367 * SECS_PER_DAY, 0).fmt_date_time(),
            "-0001-12-31T00:00:00Z"
        );
        let _ = dt(i64::MAX, 999_999_999).fmt_date_time();
        let _ = dt(i64::MIN, 0).fmt_date_time();
        let _ = dt(i64::MIN, 0).fmt_http_date();
        let _ = dt(i64::MAX, 0).fmt_http_date();
    }

    #[test]
    fn display_debug_and_from_str() {
        let t = dt(1_404_129_600, 250_000_000);
        assert_eq!(t.to_string(), "2014-06-30T12:00:00.25Z");
        assert_eq!(format!("{t:?}"), "2014-06-30T12:00:00.25Z");
        assert_eq!("2014-06-30T12:00:00.25Z".parse::<DateTime>().unwrap(), t);
        assert!("garbage".parse::<DateTime>().is_err());
        assert_eq!(
            DateTime::parse("2014-06-30T12:00:00.25Z", Format::DateTime).unwrap(),
            t
        );
        assert_eq!(t.fmt(Format::DateTime), "2014-06-30T12:00:00.25Z");
        assert_eq!(t.fmt(Format::HttpDate), "Mon, 30 Jun 2014 12:00:00 GMT");
        assert_eq!(t.fmt(Format::EpochSeconds), "1404129600.25");
        assert_eq!(
            DateTime::parse("Mon, 30 Jun 2014 12:00:00.25 GMT", Format::HttpDate).unwrap(),
            t
        );
        assert_eq!(
            DateTime::parse("1404129600.25", Format::EpochSeconds).unwrap(),
            t
        );
    }

    #[test]
    fn parse_date_time_valid() {
        assert_eq!(iso("1970-01-01T00:00:00Z"), dt(0, 0));
        assert_eq!(iso("1970-01-01t00:00:00z"), dt(0, 0));
        assert_eq!(iso("1969-12-31T23:59:59Z"), dt(-1, 0));
        assert_eq!(iso("1969-12-31T23:59:58.5Z"), dt(-2, 500_000_000));
        assert_eq!(iso("2014-06-30T12:00:00Z"), dt(1_404_129_600, 0));
        assert_eq!(iso("2000-02-29T00:00:00Z"), dt(951_782_400, 0));
        assert_eq!(
            iso("2024-02-29T12:00:00Z").fmt_date_time(),
            "2024-02-29T12:00:00Z"
        );
        assert_eq!(
            iso("9999-12-31T23:59:59.999999999Z"),
            dt(MAX_TEXT_SECS, 999_999_999)
        );
        assert_eq!(iso("0001-01-01T00:00:00Z"), dt(MIN_TEXT_SECS, 0));
        // Fractions: 1 to 9 digits, more truncated.
        assert_eq!(iso("2014-06-30T12:00:00.1Z").subsec_nanos(), 100_000_000);
        assert_eq!(iso("2014-06-30T12:00:00.000001Z").subsec_nanos(), 1000);
        assert_eq!(
            iso("2014-06-30T12:00:00.123456789Z").subsec_nanos(),
            123_456_789
        );
        assert_eq!(
            iso("2014-06-30T12:00:00.1234567899999Z").subsec_nanos(),
            123_456_789
        );
        assert_eq!(iso("2014-06-30T12:00:00.000000000Z").subsec_nanos(), 0);
        // Offsets.
        assert_eq!(
            iso("2014-06-30T17:30:00+05:30"),
            iso("2014-06-30T12:00:00Z")
        );
        assert_eq!(
            iso("2014-06-30T04:00:00-08:00"),
            iso("2014-06-30T12:00:00Z")
        );
        assert_eq!(
            iso("2014-06-30T12:00:00+00:00"),
            iso("2014-06-30T12:00:00Z")
        );
        assert_eq!(
            iso("2014-06-30T12:00:00-00:00"),
            iso("2014-06-30T12:00:00Z")
        );
        assert_eq!(
            iso("2014-12-31T20:00:00-08:00").fmt_date_time(),
            "2015-01-01T04:00:00Z"
        );
        assert_eq!(iso("1970-01-01T00:00:00.5+00:01"), dt(-60, 500_000_000));
        assert_eq!(
            iso("0001-01-01T00:00:00+23:59").fmt_date_time(),
            "0000-12-31T00:01:00Z"
        );
        assert_eq!(
            iso("9999-12-31T23:59:59-23:59").fmt_date_time(),
            "+10000-01-01T23:58:59Z"
        );
    }

    #[test]
    fn parse_date_time_invalid() {
        assert_eq!(
            iso_err("2014-13-01T00:00:00Z"),
            "invalid date-time \"2014-13-01T00:00:00Z\": month out of range"
        );
        assert!(iso_err("2014-00-01T00:00:00Z").ends_with("month out of range"));
        assert!(iso_err("2100-02-29T00:00:00Z").ends_with("day out of range for the month"));
        assert!(iso_err("2014-04-31T00:00:00Z").ends_with("day out of range for the month"));
        assert!(iso_err("2014-04-00T00:00:00Z").ends_with("day out of range for the month"));
        assert!(iso_err("2023-02-29T00:00:00Z").ends_with("day out of range for the month"));
        assert!(iso_err("2014-04-01T24:00:00Z").ends_with("hour out of range"));
        assert!(iso_err("2014-04-01T00:60:00Z").ends_with("minute out of range"));
        assert!(iso_err("2014-04-01T00:00:61Z").ends_with("second out of range"));
        assert!(
            iso_err("2016-12-31T23:59:60Z").ends_with("leap seconds (second 60) are not supported")
        );
        assert!(iso_err("0000-01-01T00:00:00Z").contains("year out of range"));
        assert!(iso_err("2014-04-01T00:00:00+24:00").ends_with("UTC offset out of range"));
        assert!(iso_err("2014-04-01T00:00:00+05:60").ends_with("UTC offset out of range"));
        assert!(iso_err("2014-04-01T00:00:00").contains("expected 'Z' or a UTC offset"));
        assert!(iso_err("2014-04-01T00:00:00Zx").ends_with("unexpected characters after the end"));
        assert!(iso_err("2014-04-01T00:00:00.Z").ends_with("expected a digit after '.'"));
        assert!(iso_err("2014-04-01 00:00:00Z").contains("expected 'T'"));
        assert!(iso_err("14-04-01T00:00:00Z").contains("expected a four-digit year"));
        assert!(iso_err("20140-04-01T00:00:00Z").contains("expected '-' after the year"));
        for bad in [
            "",
            " 2014-04-01T00:00:00Z",
            "2014-04-01T00:00:00Z ",
            "2014-4-01T00:00:00Z",
            "2014-04-1T00:00:00Z",
            "2014-04-01T0:00:00Z",
            "2014-04-01T00:00Z",
            "2014-04-01",
            "2014-04-01T00:00:00+0530",
            "2014-04-01T00:00:00+05",
            "+2014-04-01T00:00:00Z",
            "2014-04-01T00:00:00.-1Z",
            "２０１４-04-01T00:00:00Z",
            "1398796238",
            "Mon, 30 Jun 2014 12:00:00 GMT",
        ] {
            assert!(DateTime::parse_date_time(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn error_input_is_truncated_and_escaped() {
        let long = "x".repeat(1000);
        let message = iso_err(&long);
        assert!(message.len() < 200, "{message}");
        assert!(message.contains(&format!("{}…\"", "x".repeat(64))));
        let message = iso_err("a\"b\n");
        assert!(message.contains(r#""a\"b\n""#), "{message}");
        let message = iso_err(&"é".repeat(100));
        assert!(message.contains(&format!("{}…", "é".repeat(64))));
    }

    #[test]
    fn format_http_date() {
        assert_eq!(dt(0, 0).fmt_http_date(), "Thu, 01 Jan 1970 00:00:00 GMT");
        assert_eq!(
            dt(1_404_129_600, 0).fmt_http_date(),
            "Mon, 30 Jun 2014 12:00:00 GMT"
        );
        assert_eq!(
            dt(784_111_777, 999_999_999).fmt_http_date(),
            "Sun, 06 Nov 1994 08:49:37 GMT"
        );
        assert_eq!(
            dt(-1, 500_000_000).fmt_http_date(),
            "Wed, 31 Dec 1969 23:59:59 GMT"
        );
        assert_eq!(
            dt(MAX_TEXT_SECS, 0).fmt_http_date(),
            "Fri, 31 Dec 9999 23:59:59 GMT"
        );
        assert_eq!(
            dt(MIN_TEXT_SECS, 0).fmt_http_date(),
            "Mon, 01 Jan 0001 00:00:00 GMT"
        );
    }

    #[test]
    fn parse_http_date_valid() {
        assert_eq!(http("Thu, 01 Jan 1970 00:00:00 GMT"), dt(0, 0));
        assert_eq!(http("Sun, 06 Nov 1994 08:49:37 GMT"), dt(784_111_777, 0));
        assert_eq!(http("Sunday, 06-Nov-94 08:49:37 GMT"), dt(784_111_777, 0));
        assert_eq!(http("Sun Nov  6 08:49:37 1994"), dt(784_111_777, 0));
        assert_eq!(http("Sun Nov 06 08:49:37 1994"), dt(784_111_777, 0));
        assert_eq!(
            http("Wed Nov 16 08:49:37 1994"),
            iso("1994-11-16T08:49:37Z")
        );
        assert_eq!(
            http("Tue, 29 Apr 2014 18:30:38.123 GMT"),
            dt(1_398_796_238, 123_000_000)
        );
        assert_eq!(
            http("Tue, 29 Apr 2014 18:30:38.1234567891 GMT").subsec_nanos(),
            123_456_789
        );
        assert_eq!(http("Sun, 6 Nov 1994 08:49:37 GMT"), dt(784_111_777, 0));
        assert_eq!(http("sun, 06 NOV 1994 08:49:37 gmt"), dt(784_111_777, 0));
        // The weekday is not checked against the date.
        assert_eq!(http("Fri, 06 Nov 1994 08:49:37 GMT"), dt(784_111_777, 0));
        assert_eq!(http("Friday, 06 Nov 1994 08:49:37 GMT"), dt(784_111_777, 0));
        assert_eq!(
            http("Tue, 29 Feb 2000 00:00:00 GMT"),
            iso("2000-02-29T00:00:00Z")
        );
        assert_eq!(
            http("Fri, 31 Dec 9999 23:59:59.999999999 GMT"),
            dt(MAX_TEXT_SECS, 999_999_999)
        );
        // Formatting then parsing gives back the instant, less the nanoseconds.
        for t in [
            dt(0, 0),
            dt(-1, 5),
            dt(1_404_129_600, 999),
            dt(MIN_TEXT_SECS, 0),
        ] {
            assert_eq!(http(&t.fmt_http_date()), dt(t.secs(), 0));
        }
    }

    #[test]
    fn parse_http_date_invalid() {
        assert_eq!(
            http_err("Thu, 01 Foo 1970 00:00:00 GMT"),
            "invalid HTTP date \"Thu, 01 Foo 1970 00:00:00 GMT\": unknown month name"
        );
        assert!(http_err("Thx, 01 Jan 1970 00:00:00 GMT").ends_with("unknown day name"));
        assert!(
            http_err("Tue, 29 Feb 2100 00:00:00 GMT").ends_with("day out of range for the month")
        );
        assert!(http_err("Thu, 01 Jan 1970 00:00:00 UTC").ends_with("expected 'GMT'"));
        assert!(http_err("Thu, 01 Jan 1970 00:00:60 GMT").contains("leap second"));
        assert!(
            http_err("Thu, 01 Jan 1970 00:00:00 GMT ")
                .ends_with("unexpected characters after the end")
        );
        for bad in [
            "",
            "Thu",
            "Thu,",
            "Thu, 01 Jan 1970 00:00:00",
            "Thu, 01 Jan 1970 00:00:00 +0000",
            "Thu, 01 Jan 70 00:00:00 GMT",
            "Thu, 001 Jan 1970 00:00:00 GMT",
            "Thu,01 Jan 1970 00:00:00 GMT",
            "Thu, 01 Jan 1970 0:00:00 GMT",
            "Thu, 01 Jan 1970 00:00 GMT",
            "Thu, 01 Jan 1970 00:00:00. GMT",
            "Thu, 00 Jan 1970 00:00:00 GMT",
            "Thu, 32 Jan 1970 00:00:00 GMT",
            "Thu, 01 Jan 0000 00:00:00 GMT",
            "Thursday, 01-Jan-1970 00:00:00 GMT",
            "Thursday, 01-Jan-70 00:00:00",
            "Thu Jan  1 00:00:00 70",
            "Thu Jan 1 00:00:00 1970",
            "Thu Jan   1 00:00:00 1970",
            "Thu Jan  1 00:00:00 1970 GMT",
            "1970-01-01T00:00:00Z",
            "0",
        ] {
            assert!(DateTime::parse_http_date(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn rfc850_two_digit_years() {
        assert_eq!(rfc850_year(94, 2026), 1994);
        assert_eq!(rfc850_year(76, 2026), 2076);
        assert_eq!(rfc850_year(77, 2026), 1977);
        assert_eq!(rfc850_year(0, 2026), 2000);
        assert_eq!(rfc850_year(26, 2026), 2026);
        assert_eq!(rfc850_year(30, 2090), 2130);
        assert_eq!(rfc850_year(40, 2090), 2140); // exactly 50 years ahead
        assert_eq!(rfc850_year(41, 2090), 2041);
        assert_eq!(rfc850_year(99, 2000), 1999);
        assert_eq!(rfc850_year(50, 2000), 2050);
        assert_eq!(rfc850_year(51, 2000), 1951);
    }

    #[test]
    fn format_epoch_seconds() {
        assert_eq!(dt(0, 0).fmt_epoch_seconds(), "0");
        assert_eq!(dt(1_398_796_238, 0).fmt_epoch_seconds(), "1398796238");
        assert_eq!(
            dt(1_398_796_238, 123_000_000).fmt_epoch_seconds(),
            "1398796238.123"
        );
        assert_eq!(dt(0, 1).fmt_epoch_seconds(), "0.000000001");
        assert_eq!(dt(-1, 0).fmt_epoch_seconds(), "-1");
        assert_eq!(dt(-2, 500_000_000).fmt_epoch_seconds(), "-1.5");
        assert_eq!(dt(-1, 500_000_000).fmt_epoch_seconds(), "-0.5");
        assert_eq!(dt(-1, 999_999_999).fmt_epoch_seconds(), "-0.000000001");
        assert_eq!(dt(-1, 1).fmt_epoch_seconds(), "-0.999999999");
        assert_eq!(dt(i64::MIN, 0).fmt_epoch_seconds(), "-9223372036854775808");
        assert_eq!(
            dt(i64::MIN, 1).fmt_epoch_seconds(),
            "-9223372036854775807.999999999"
        );
        assert_eq!(
            dt(i64::MAX, 999_999_999).fmt_epoch_seconds(),
            "9223372036854775807.999999999"
        );
    }

    #[test]
    fn parse_epoch_seconds_valid() {
        assert_eq!(epoch("0"), dt(0, 0));
        assert_eq!(epoch("-0"), dt(0, 0));
        assert_eq!(epoch("0.0"), dt(0, 0));
        assert_eq!(epoch("1398796238"), dt(1_398_796_238, 0));
        assert_eq!(epoch("1398796238.123"), dt(1_398_796_238, 123_000_000));
        assert_eq!(epoch("1.398796238E9"), dt(1_398_796_238, 0));
        assert_eq!(epoch("1.398796238123e9"), dt(1_398_796_238, 123_000_000));
        assert_eq!(epoch("1.398796238123e+9"), dt(1_398_796_238, 123_000_000));
        assert_eq!(epoch("1398796238123e-3"), dt(1_398_796_238, 123_000_000));
        assert_eq!(epoch("0.5e1"), dt(5, 0));
        assert_eq!(epoch("5e-1"), dt(0, 500_000_000));
        assert_eq!(epoch("-1.5"), dt(-2, 500_000_000));
        assert_eq!(epoch("-0.5"), dt(-1, 500_000_000));
        assert_eq!(epoch("-1.5e0"), dt(-2, 500_000_000));
        assert_eq!(epoch("00012.50"), dt(12, 500_000_000));
        assert_eq!(epoch("0e999999999999999999999"), dt(0, 0));
        assert_eq!(epoch("1e-999999999999999999999"), dt(0, 0));
        assert_eq!(epoch("1e-9"), dt(0, 1));
        assert_eq!(epoch("1e-10"), dt(0, 0));
        assert_eq!(epoch("5e-10"), dt(0, 1));
        assert_eq!(epoch("-5e-10"), dt(-1, 999_999_999));
        assert_eq!(epoch("-4e-10"), dt(0, 0));
        assert_eq!(epoch("0.9999999995"), dt(1, 0));
        assert_eq!(epoch("-0.9999999995"), dt(-1, 0));
        assert_eq!(epoch("0.99999999949"), dt(0, 999_999_999));
        assert_eq!(epoch("9223372036854775807"), dt(i64::MAX, 0));
        assert_eq!(
            epoch("9223372036854775807.999999999"),
            dt(i64::MAX, 999_999_999)
        );
        assert_eq!(epoch("-9223372036854775808"), dt(i64::MIN, 0));
        assert_eq!(epoch("-9223372036854775807.5"), dt(i64::MIN, 500_000_000));
        assert_eq!(epoch("9.223372036854775807e18"), dt(i64::MAX, 0));
    }

    #[test]
    fn parse_epoch_seconds_invalid() {
        assert_eq!(
            epoch_err("12abc"),
            "invalid epoch-seconds timestamp \"12abc\": unexpected characters after the end"
        );
        assert!(epoch_err("9223372036854775808").ends_with("timestamp out of range"));
        assert!(epoch_err("-9223372036854775809").ends_with("timestamp out of range"));
        assert!(epoch_err("-9223372036854775808.5").ends_with("timestamp out of range"));
        assert!(epoch_err("9223372036854775807.9999999995").ends_with("timestamp out of range"));
        assert!(epoch_err("1e19").ends_with("timestamp out of range"));
        assert!(epoch_err("1e999999999999999999999").ends_with("timestamp out of range"));
        for bad in [
            "", "-", "+1", ".5", "1.", "1.e5", "1e", "1e+", "1e-", "1E+-5", "--1", "1-", " 1",
            "1 ", "0x10", "NaN", "inf", "Infinity", "1,5", "1.5.5", "１",
        ] {
            assert!(DateTime::parse_epoch_seconds(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn random_round_trips() {
        let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
        let span = (MAX_TEXT_SECS - MIN_TEXT_SECS + 1) as u64;
        for _ in 0..20_000 {
            let seconds = MIN_TEXT_SECS + (rng.next() % span) as i64;
            let nanos = match rng.next() % 4 {
                0 => 0,
                1 => (rng.next() % 1000) as u32 * 1_000_000,
                _ => (rng.next() % 1_000_000_000) as u32,
            };
            let t = dt(seconds, nanos);
            assert_eq!(iso(&t.fmt_date_time()), t);
            assert_eq!(http(&t.fmt_http_date()), dt(seconds, 0));
            assert_eq!(epoch(&t.fmt_epoch_seconds()), t);
            for format in [Format::DateTime, Format::EpochSeconds] {
                assert_eq!(DateTime::parse(&t.fmt(format), format).unwrap(), t);
            }
            // Any i64 seconds round trip through epoch seconds.
            let wide = dt(rng.next() as i64, nanos);
            assert_eq!(epoch(&wide.fmt_epoch_seconds()), wide);
            // Millisecond conversions.
            let millis = (rng.next() as i64) >> (rng.next() % 64);
            assert_eq!(DateTime::from_millis(millis).to_millis(), Ok(millis));
            // Through f64, near today's timestamps, within a microsecond.
            let recent = dt(1_700_000_000 + (rng.next() % 100_000_000) as i64, nanos);
            let back = DateTime::from_secs_f64(recent.as_secs_f64()).unwrap();
            let diff = (i128::from(back.secs()) * 1_000_000_000 + i128::from(back.subsec_nanos()))
                - (i128::from(recent.secs()) * 1_000_000_000 + i128::from(recent.subsec_nanos()));
            assert!(diff.abs() <= 1000, "{recent:?} {back:?}");
        }
    }

    #[test]
    fn random_garbage_never_panics() {
        let mut rng = XorShift(12345);
        let alphabet = b"0123456789-+:.TtZzeE ,GMTJanSunday\xc3\xa9";
        for _ in 0..50_000 {
            let len = (rng.next() % 40) as usize;
            let bytes: Vec<u8> = (0..len)
                .map(|_| alphabet[(rng.next() % alphabet.len() as u64) as usize])
                .collect();
            let text = String::from_utf8_lossy(&bytes);
            for format in [Format::DateTime, Format::HttpDate, Format::EpochSeconds] {
                if let Ok(t) = DateTime::parse(&text, format) {
                    let _ = t.fmt(format);
                }
            }
        }
        // Mutations of valid strings.
        let valid = [
            "2014-06-30T12:00:00.123+05:30",
            "Tue, 29 Apr 2014 18:30:38.123 GMT",
            "Sunday, 06-Nov-94 08:49:37 GMT",
            "Sun Nov  6 08:49:37 1994",
            "-1.398796238123E9",
        ];
        for _ in 0..50_000 {
            let base = valid[(rng.next() % valid.len() as u64) as usize];
            let mut bytes = base.as_bytes().to_vec();
            let i = (rng.next() % bytes.len() as u64) as usize;
            match rng.next() % 3 {
                0 => bytes[i] = alphabet[(rng.next() % alphabet.len() as u64) as usize],
                1 => {
                    bytes.remove(i);
                }
                _ => bytes.insert(i, alphabet[(rng.next() % alphabet.len() as u64) as usize]),
            }
            let text = String::from_utf8_lossy(&bytes);
            for format in [Format::DateTime, Format::HttpDate, Format::EpochSeconds] {
                let _ = DateTime::parse(&text, format);
            }
        }
    }

    #[test]
    fn error_traits() {
        fn assert_error<E: Error + Send + Sync + 'static>() {}
        assert_error::<DateTimeError>();
        let err = DateTime::from_secs(i64::MAX).to_millis().unwrap_err();
        assert!(err.to_string().contains("milliseconds"), "{err}");
    }
}
