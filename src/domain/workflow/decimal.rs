//! Exact decimal numbers for money and number fields.
//!
//! A condition such as `amount > 12000.10` must not be decided by binary
//! floating point (`12000.1` has no exact `f64`), so every amount is held as
//! an integer count of 10⁻¹⁸ units. That covers amounts up to about 1.7·10²⁰
//! with 18 decimals, far beyond any ticket, and makes comparison plain
//! integer comparison.

use std::fmt;

/// How many decimal places a [`Decimal`] keeps.
const SCALE_DIGITS: u32 = 18;
const SCALE: i128 = 10_i128.pow(SCALE_DIGITS);

/// A signed decimal number with up to 18 decimal places, compared exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Decimal(i128);

/// Why a text is not a [`Decimal`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecimalError {
    /// Not a number at all.
    Syntax,
    /// Larger than about 1.7·10²⁰.
    OutOfRange,
    /// More than 18 decimal places.
    TooPrecise,
}

impl Decimal {
    /// Parses a plain decimal as people type it: `12000`, `-3.5`, `0.25`.
    pub fn parse(text: &str) -> Result<Self, DecimalError> {
        Self::parse_inner(text, false)
    }

    /// Reads a JSON number exactly, through its shortest decimal spelling
    /// (`0.1` stays 0.1, `1e21` is accepted).
    pub fn from_json(number: &serde_json::Number) -> Result<Self, DecimalError> {
        Self::parse_inner(&number.to_string(), true)
    }

    /// Reads a bound written in a schema as `f64`, through its shortest
    /// decimal spelling, so `12000.5` means exactly 12000.5.
    pub fn from_f64(value: f64) -> Result<Self, DecimalError> {
        if !value.is_finite() {
            return Err(DecimalError::Syntax);
        }
        Self::parse_inner(&value.to_string(), true)
    }

    /// A whole number.
    pub fn from_int(value: i64) -> Self {
        Self(i128::from(value) * SCALE)
    }

    /// Number of decimal places actually used (`12.50` → 1, `12` → 0).
    pub fn decimals(self) -> u32 {
        let mut frac = (self.0 % SCALE).abs();
        if frac == 0 {
            return 0;
        }
        let mut places = SCALE_DIGITS;
        while frac % 10 == 0 {
            frac /= 10;
            places -= 1;
        }
        places
    }

    /// Formats with exactly `places` decimals, truncating extra ones; money
    /// is checked to have at most two before it is written as `"12000.50"`.
    pub fn to_fixed(self, places: u32) -> String {
        let places = places.min(SCALE_DIGITS);
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let whole = abs / SCALE as u128;
        if places == 0 {
            return format!("{sign}{whole}");
        }
        let frac = (abs % SCALE as u128) / 10_u128.pow(SCALE_DIGITS - places);
        format!("{sign}{whole}.{frac:0width$}", width = places as usize)
    }

    fn parse_inner(text: &str, allow_exponent: bool) -> Result<Self, DecimalError> {
        let (negative, rest) = match text.as_bytes().first() {
            Some(b'-') => (true, &text[1..]),
            Some(b'+') => (false, &text[1..]),
            _ => (false, text),
        };
        let (mantissa, exponent) = match rest.find(['e', 'E']) {
            Some(at) if allow_exponent => {
                let exp: i32 = rest[at + 1..].parse().map_err(|_| DecimalError::Syntax)?;
                (&rest[..at], exp)
            }
            Some(_) => return Err(DecimalError::Syntax),
            None => (rest, 0),
        };
        let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        let digits_ok = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if int.is_empty() || !digits_ok(int) || !digits_ok(frac) || (mantissa.contains('.') && frac.is_empty()) {
            return Err(DecimalError::Syntax);
        }
        // All digits as one integer, and how many of them sit after the point.
        let digits = format!("{int}{frac}");
        let digits = digits.trim_start_matches('0');
        let trimmed = digits.trim_end_matches('0');
        let places =
            i64::try_from(frac.len()).unwrap_or(i64::MAX) - i64::from(exponent) - (digits.len() - trimmed.len()) as i64;
        if trimmed.is_empty() {
            return Ok(Self(0));
        }
        if places > i64::from(SCALE_DIGITS) {
            return Err(DecimalError::TooPrecise);
        }
        if trimmed.len() > 38 {
            return Err(DecimalError::OutOfRange);
        }
        let raw: i128 = trimmed.parse().map_err(|_| DecimalError::OutOfRange)?;
        let shift = u32::try_from(i64::from(SCALE_DIGITS) - places).map_err(|_| DecimalError::OutOfRange)?;
        let scaled =
            10_i128.checked_pow(shift).and_then(|factor| raw.checked_mul(factor)).ok_or(DecimalError::OutOfRange)?;
        Ok(Self(if negative { -scaled } else { scaled }))
    }
}

impl fmt::Display for Decimal {
    /// The shortest exact spelling: `12000.5`, `-3`, `0.25`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_fixed(self.decimals()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::parse(s).unwrap()
    }

    #[test]
    fn parses_plain_decimals() {
        assert_eq!(d("12000.5"), d("12000.50"));
        assert_eq!(d("-3.25").to_string(), "-3.25");
        assert_eq!(d("+7").to_string(), "7");
        assert_eq!(d("0.000").to_string(), "0");
        assert_eq!(d("007.10").to_string(), "7.1");
        for bad in ["", "-", "1.", ".5", "1.2.3", "abc", "1e3", "1 000", "0x10"] {
            assert_eq!(Decimal::parse(bad), Err(DecimalError::Syntax), "{bad}");
        }
    }

    #[test]
    fn compares_exactly() {
        assert!(d("12000.10") == d("12000.1"));
        assert!(d("12000.01") > d("12000.009999999999"));
        assert!(d("-1") < d("0.000000000000000001"));
        assert!(d("100000000000000000000") > d("99999999999999999999.999999999999999999"));
    }

    #[test]
    fn reads_json_numbers_and_floats() {
        let n: serde_json::Number = serde_json::from_str("0.1").unwrap();
        assert_eq!(Decimal::from_json(&n).unwrap(), d("0.1"));
        let n: serde_json::Number = serde_json::from_str("1.5e3").unwrap();
        assert_eq!(Decimal::from_json(&n).unwrap(), d("1500"));
        assert_eq!(Decimal::from_f64(12000.5).unwrap(), d("12000.5"));
        assert_eq!(Decimal::from_f64(f64::NAN), Err(DecimalError::Syntax));
        assert_eq!(Decimal::from_int(-4), d("-4"));
    }

    #[test]
    fn range_and_precision_limits() {
        assert_eq!(Decimal::parse("0.0000000000000000001"), Err(DecimalError::TooPrecise));
        assert_eq!(Decimal::parse("1000000000000000000000"), Err(DecimalError::OutOfRange));
        assert_eq!(Decimal::parse_inner("1e400", true), Err(DecimalError::OutOfRange));
        assert_eq!(Decimal::parse_inner("1e-400", true), Err(DecimalError::TooPrecise));
    }

    #[test]
    fn formats_fixed_places() {
        assert_eq!(d("12000.5").to_fixed(2), "12000.50");
        assert_eq!(d("-0.5").to_fixed(2), "-0.50");
        assert_eq!(d("3").to_fixed(2), "3.00");
        assert_eq!(d("12.5").decimals(), 1);
        assert_eq!(d("12").decimals(), 0);
    }
}
