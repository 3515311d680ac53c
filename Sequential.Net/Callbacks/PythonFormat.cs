using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace SequentialNet.Callbacks;

/// <summary>
/// Python's <c>str.format</c> for file names such as <c>"ckpt-{epoch:02d}-{val_loss:.2f}.snet"</c>:
/// fields <c>{name}</c> or <c>{name:spec}</c>, <c>{{</c> and <c>}}</c> for braces, and the format-spec
/// mini-language <c>[[fill]align][sign][0][width][,|_][.precision][type]</c> with types d, b, o, x, X
/// (integers), e, E, f, F, g, G, % (numbers) and none (Python's repr of a float, e.g. 0.25, 1e-05).
/// </summary>
internal static partial class PythonFormat
{
    [GeneratedRegex(@"^(?:(?<fill>.)?(?<align>[<>=^]))?(?<sign>[-+ ])?(?<zero>0)?(?<width>\d+)?(?<group>[,_])?(?:\.(?<precision>\d+))?(?<type>[bdoxXeEfFgG%])?$")]
    private static partial Regex Spec();

    /// <summary>The names of the fields of <paramref name="template"/>, in order; throws on a malformed template.</summary>
    public static IReadOnlyList<string> Fields(string template) => Parse(template).Where(p => p.IsField).Select(p => p.Text).ToList();

    /// <summary>Formats <paramref name="template"/> with values looked up by field name (an int or a double).</summary>
    /// <exception cref="KeyNotFoundException">A field has no value (the message names it).</exception>
    /// <exception cref="FormatException">A spec does not fit its value.</exception>
    public static string Format(string template, Func<string, object?> lookup)
    {
        var sb = new StringBuilder();
        foreach (var part in Parse(template))
        {
            if (!part.IsField) { sb.Append(part.Text); continue; }
            object value = lookup(part.Text) ?? throw new KeyNotFoundException(part.Text);
            sb.Append(FormatValue(value, part.Spec));
        }
        return sb.ToString();
    }

    /// <summary>One value with a Python format spec ("" for the default).</summary>
    public static string FormatValue(object value, string spec)
    {
        var m = Spec().Match(spec);
        if (!m.Success) throw new FormatException($"Invalid format specifier \"{spec}\".");
        char type = m.Groups["type"].Success ? m.Groups["type"].Value[0] : '\0';
        int? precision = m.Groups["precision"].Success ? int.Parse(m.Groups["precision"].Value, CultureInfo.InvariantCulture) : null;
        if (precision > 100) throw new FormatException($"Precision too large in \"{spec}\".");
        string body = value switch
        {
            int or long when type is '\0' or 'd' or 'b' or 'o' or 'x' or 'X' => precision == null ? Integer(Convert.ToInt64(value, CultureInfo.InvariantCulture), type)
                : throw new FormatException("Precision not allowed in integer format specifier."),
            int or long => Number(Convert.ToDouble(value, CultureInfo.InvariantCulture), type, precision),
            double d when type is 'd' or 'b' or 'o' or 'x' or 'X' => throw new FormatException($"Unknown format code '{type}' for object of type 'float'."),
            double d => Number(d, type, precision),
            _ => throw new FormatException($"Cannot format a {value.GetType().Name}."),
        };
        return Pad(body, m, type);
    }

    private static string Integer(long n, char type)
    {
        string digits = type switch
        {
            'b' => Convert.ToString(Math.Abs(n), 2), 'o' => Convert.ToString(Math.Abs(n), 8),
            'x' => Math.Abs(n).ToString("x", CultureInfo.InvariantCulture), 'X' => Math.Abs(n).ToString("X", CultureInfo.InvariantCulture),
            _ => Math.Abs(n).ToString(CultureInfo.InvariantCulture),
        };
        return n < 0 ? "-" + digits : digits;
    }

    private static string Number(double x, char type, int? precision)
    {
        if (double.IsNaN(x)) return char.IsUpper(type) ? "NAN" : "nan";
        if (double.IsInfinity(x)) return (x < 0 ? "-" : "") + (char.IsUpper(type) ? "INF" : "inf") + (type == '%' ? "%" : "");
        int p = precision ?? 6;
        return type switch
        {
            'f' or 'F' => x.ToString("F" + p, CultureInfo.InvariantCulture),
            'e' or 'E' => Exponent(x, p, type),
            '%' => (x * 100).ToString("F" + p, CultureInfo.InvariantCulture) + "%",
            'g' or 'G' => General(x, p == 0 ? 1 : p, type == 'G'),
            _ => precision == null ? PythonFloatRepr.Repr(x) : General(x, p == 0 ? 1 : p, false),
        };
    }

    private static string Exponent(double x, int p, char type)
    {
        string s = x.ToString((p == 0 ? "0" : "0." + new string('0', p)) + "e+00", CultureInfo.InvariantCulture);
        return type == 'E' ? s.ToUpperInvariant() : s;
    }

    private static string General(double x, int p, bool upper)
    {
        if (x == 0) return (double.IsNegative(x) ? "-0" : "0");
        int exp = int.Parse(x.ToString("E" + (p - 1), CultureInfo.InvariantCulture).Split('E')[1], CultureInfo.InvariantCulture);
        string s = exp >= -4 && exp < p
            ? TrimZeros(x.ToString("F" + (p - 1 - exp), CultureInfo.InvariantCulture))
            : TrimMantissa(Exponent(x, p - 1, 'e'));
        return upper ? s.ToUpperInvariant() : s;
    }

    private static string TrimZeros(string s) => s.Contains('.') ? s.TrimEnd('0').TrimEnd('.') : s;

    private static string TrimMantissa(string s)
    {
        int e = s.IndexOf('e');
        return TrimZeros(s[..e]) + s[e..];
    }

    private static string Pad(string body, Match m, char type)
    {
        string sign = m.Groups["sign"].Value;
        bool negative = body.StartsWith('-');
        string digits = negative ? body[1..] : body;
        if (m.Groups["group"].Success) digits = Group(digits, m.Groups["group"].Value[0]);
        string prefix = negative ? "-" : sign == "+" ? "+" : sign == " " ? " " : "";
        int width = m.Groups["width"].Success ? int.Parse(m.Groups["width"].Value, CultureInfo.InvariantCulture) : 0;
        if (width > 1000) throw new FormatException("Width too large.");
        bool zero = m.Groups["zero"].Success;
        char fill = m.Groups["fill"].Success ? m.Groups["fill"].Value[0] : zero ? '0' : ' ';
        char align = m.Groups["align"].Success ? m.Groups["align"].Value[0] : zero ? '=' : '>';
        int missing = Math.Max(0, width - prefix.Length - digits.Length);
        string pad = new(fill, missing);
        return align switch
        {
            '<' => prefix + digits + pad,
            '^' => new string(fill, missing / 2) + prefix + digits + new string(fill, missing - missing / 2),
            '=' => prefix + pad + digits,
            _ => pad + prefix + digits,
        };
    }

    private static string Group(string digits, char separator)
    {
        int end = 0;
        while (end < digits.Length && char.IsAsciiDigit(digits[end])) end++;
        var sb = new StringBuilder();
        for (int i = 0; i < end; i++)
        {
            if (i > 0 && (end - i) % 3 == 0) sb.Append(separator);
            sb.Append(digits[i]);
        }
        return sb + digits[end..];
    }

    private readonly record struct Part(bool IsField, string Text, string Spec);

    private static List<Part> Parse(string template)
    {
        var parts = new List<Part>();
        var literal = new StringBuilder();
        for (int i = 0; i < template.Length; i++)
        {
            char c = template[i];
            if ((c == '{' || c == '}') && i + 1 < template.Length && template[i + 1] == c) { literal.Append(c); i++; continue; }
            if (c == '}') throw new FormatException($"Single '}}' encountered in format string \"{template}\" (write '}}}}' for a brace).");
            if (c != '{') { literal.Append(c); continue; }
            int close = template.IndexOf('}', i + 1);
            if (close < 0) throw new FormatException($"Single '{{' encountered in format string \"{template}\" (write '{{{{' for a brace).");
            if (literal.Length > 0) { parts.Add(new Part(false, literal.ToString(), "")); literal.Clear(); }
            string field = template[(i + 1)..close];
            int colon = field.IndexOf(':');
            string name = colon < 0 ? field : field[..colon];
            if (name.Length == 0 || name.Contains('{') || name.Contains('!'))
                throw new FormatException($"Expected a field name such as {{epoch}} or {{val_loss:.2f}} in \"{template}\". Received: {{{field}}}.");
            parts.Add(new Part(true, name, colon < 0 ? "" : field[(colon + 1)..]));
            i = close;
        }
        if (literal.Length > 0) parts.Add(new Part(false, literal.ToString(), ""));
        return parts;
    }
}
