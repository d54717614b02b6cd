//! German number formatting for everything a person reads: counts with a dot as the
//! thousands separator, decimals with a comma, file sizes in German units.

/// Formats a count with German thousands separators: `1234567` -> `"1.234.567"`.
pub fn count(value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(ch);
    }
    out
}

/// Formats a non-negative decimal with a comma and `places` decimal places, with German
/// thousands separators: `1234.5, 1` -> `"1.234,5"`.
pub fn decimal(value: f64, places: usize) -> String {
    let sign = if value < 0.0 { "-" } else { "" };
    let fixed = format!("{:.*}", places, value.abs());
    let (int_part, frac_part) = fixed.split_once('.').unwrap_or((fixed.as_str(), ""));
    let int_value: u64 = int_part.parse().unwrap_or(0);
    if frac_part.is_empty() {
        format!("{sign}{}", count(int_value))
    } else {
        format!("{sign}{},{frac_part}", count(int_value))
    }
}

/// Formats a size in bytes as a person would say it in German: `"512 Byte"`, `"1,5 KB"`,
/// `"23,4 MB"`, `"1,2 GB"` (powers of 1024, one decimal place above bytes).
pub fn file_size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KB", "MB", "GB", "TB"];
    if bytes < 1024 {
        return format!("{} Byte", count(bytes));
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    format!("{} {}", decimal(value, 1), UNITS[unit])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_use_dots_between_thousands() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(1000), "1.000");
        assert_eq!(count(266_000), "266.000");
        assert_eq!(count(3_800_000), "3.800.000");
        assert_eq!(count(u64::MAX), "18.446.744.073.709.551.615");
    }

    #[test]
    fn decimals_use_a_comma() {
        assert_eq!(decimal(4.5, 1), "4,5");
        assert_eq!(decimal(1234.56, 2), "1.234,56");
        assert_eq!(decimal(-0.25, 2), "-0,25");
        assert_eq!(decimal(12.0, 0), "12");
    }

    #[test]
    fn file_sizes_are_german() {
        assert_eq!(file_size(0), "0 Byte");
        assert_eq!(file_size(1023), "1.023 Byte");
        assert_eq!(file_size(1536), "1,5 KB");
        assert_eq!(file_size(5 * 1024 * 1024), "5,0 MB");
        assert_eq!(file_size(3 * 1024 * 1024 * 1024), "3,0 GB");
    }
}
