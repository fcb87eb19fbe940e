//! The server's clock (the local clock plus a configurable offset) and the three time formats
//! the server reads or writes: SigV4's `X-Amz-Date` (`20150830T123600Z`), the HTTP `Date`
//! header (RFC 1123, `Sun, 30 Aug 2015 12:36:00 GMT`) and epoch seconds in JSON.

use std::time::{SystemTime, UNIX_EPOCH};

/// Milliseconds since the Unix epoch on the server's clock: the local clock plus
/// `offset_seconds`.
pub(crate) fn now_millis(offset_seconds: i64) -> i64 {
    let local = match SystemTime::now().duration_since(UNIX_EPOCH) {
        Ok(elapsed) => i64::try_from(elapsed.as_millis()).unwrap_or(i64::MAX),
        Err(before) => -i64::try_from(before.duration().as_millis()).unwrap_or(i64::MAX),
    };
    local.saturating_add(offset_seconds.saturating_mul(1000))
}

/// Epoch milliseconds as the JSON number of epoch seconds the service sends
/// (`1446588553.279`).
pub(crate) fn epoch_seconds_json(millis: i64) -> serde_json::Value {
    serde_json::Number::from_f64(millis as f64 / 1000.0)
        .map_or(serde_json::Value::Null, serde_json::Value::Number)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_index = (month + 9) % 12;
    let day_of_year = (153 * month_index + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The date of a day count since 1970-01-01: `(year, month, day)`.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Splits epoch seconds into the date and `(hour, minute, second)`.
fn split(seconds: i64) -> ((i64, i64, i64), (i64, i64, i64)) {
    let days = seconds.div_euclid(86_400);
    let rest = seconds.rem_euclid(86_400);
    (
        civil_from_days(days),
        (rest / 3600, rest % 3600 / 60, rest % 60),
    )
}

/// Epoch seconds as SigV4's basic ISO 8601 format, `20150830T123600Z`.
pub(crate) fn format_amz_date(seconds: i64) -> String {
    let ((year, month, day), (hour, minute, second)) = split(seconds);
    format!("{year:04}{month:02}{day:02}T{hour:02}{minute:02}{second:02}Z")
}

/// Epoch seconds as an RFC 1123 HTTP date, `Sun, 30 Aug 2015 12:36:00 GMT`.
pub(crate) fn format_http_date(seconds: i64) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let ((year, month, day), (hour, minute, second)) = split(seconds);
    let weekday = DAYS[seconds.div_euclid(86_400).rem_euclid(7) as usize];
    let month_name = MONTHS[(month - 1).clamp(0, 11) as usize];
    format!("{weekday}, {day:02} {month_name} {year:04} {hour:02}:{minute:02}:{second:02} GMT")
}

/// Parses SigV4's `YYYYMMDDTHHMMSSZ` into epoch seconds; `None` unless the text has exactly
/// that form and names a real date and time.
pub(crate) fn parse_amz_date(text: &str) -> Option<i64> {
    let bytes = text.as_bytes();
    if bytes.len() != 16 || bytes[8] != b'T' || bytes[15] != b'Z' {
        return None;
    }
    let number = |range: std::ops::Range<usize>| -> Option<i64> {
        let digits = text.get(range)?;
        if !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        digits.parse().ok()
    };
    let (year, month, day) = (number(0..4)?, number(4..6)?, number(6..8)?);
    let (hour, minute, second) = (number(9..11)?, number(11..13)?, number(13..15)?);
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let month_days = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        1..=12 => 31,
        _ => return None,
    };
    if day < 1 || day > month_days || hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    Some(days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_parses_known_dates() {
        // 2015-08-30T12:36:00Z, the SigV4 test suite's date (a Sunday).
        let seconds = 1_440_938_160;
        assert_eq!(format_amz_date(seconds), "20150830T123600Z");
        assert_eq!(format_http_date(seconds), "Sun, 30 Aug 2015 12:36:00 GMT");
        assert_eq!(parse_amz_date("20150830T123600Z"), Some(seconds));
        assert_eq!(format_http_date(0), "Thu, 01 Jan 1970 00:00:00 GMT");
        assert_eq!(parse_amz_date("20240229T235959Z"), Some(1_709_251_199));
        for bad in [
            "",
            "20150830T123600",
            "20150830 123600Z",
            "2015083OT123600Z",
            "20150230T000000Z",
            "20151301T000000Z",
            "20150830T246000Z",
            "+0150830T123600Z",
        ] {
            assert_eq!(parse_amz_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn round_trips_over_centuries() {
        for seconds in (-2_208_988_800_i64..4_102_444_800).step_by(7_777_777) {
            assert_eq!(parse_amz_date(&format_amz_date(seconds)), Some(seconds));
        }
    }
}
