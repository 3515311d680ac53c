using System.Globalization;

namespace SequentialNet.Callbacks;

/// <summary>Python's <c>repr(float)</c>: the shortest round-trip digits, fixed for 1e-4 ≤ |x| &lt; 1e16 (with ".0" when integral), else "1e-05" style.</summary>
internal static class PythonFloatRepr
{
    public static string Repr(double x)
    {
        if (double.IsNaN(x)) return "nan";
        if (double.IsInfinity(x)) return x < 0 ? "-inf" : "inf";
        if (x == 0) return double.IsNegative(x) ? "-0.0" : "0.0";
        // "E16" would not be shortest; "R" is, so take its digits and decimal exponent.
        string r = Math.Abs(x).ToString("R", CultureInfo.InvariantCulture);
        int e = r.IndexOfAny(['E', 'e']);
        string mantissa = e < 0 ? r : r[..e];
        int exponent = e < 0 ? 0 : int.Parse(r[(e + 1)..], CultureInfo.InvariantCulture);
        int dot = mantissa.IndexOf('.');
        string digits = mantissa.Replace(".", "", StringComparison.Ordinal);
        int pointAt = (dot < 0 ? mantissa.Length : dot) + exponent;     // decimal point position within digits
        int lead = digits.Length - digits.TrimStart('0').Length;
        digits = digits.TrimStart('0');
        pointAt -= lead;
        digits = digits.TrimEnd('0');
        if (digits.Length == 0) digits = "0";
        int exp10 = pointAt - 1;                                           // scientific exponent
        string sign = x < 0 ? "-" : "";
        if (exp10 >= -4 && exp10 < 16)
        {
            string text = pointAt <= 0 ? "0." + new string('0', -pointAt) + digits
                : pointAt >= digits.Length ? digits + new string('0', pointAt - digits.Length) + ".0"
                : digits[..pointAt] + "." + digits[pointAt..];
            return sign + text;
        }
        string m = digits.Length == 1 ? digits : digits[0] + "." + digits[1..];
        return $"{sign}{m}e{(exp10 < 0 ? "-" : "+")}{Math.Abs(exp10):00}";
    }
}
