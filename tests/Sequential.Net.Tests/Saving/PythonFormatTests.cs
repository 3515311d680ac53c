using SequentialNet.Callbacks;

namespace SequentialNet.Tests.Saving;

/// <summary>ModelCheckpoint's file names follow Python's str.format (expected values are Python's own output).</summary>
public class PythonFormatTests
{
    private static string F(string template, object value) => PythonFormat.Format(template, _ => value);

    [TestCase("{epoch:02d}", 3, "03")]
    [TestCase("{epoch}", 12, "12")]
    [TestCase("{epoch:>4}", 7, "   7")]
    [TestCase("{epoch:<4}|", 7, "7   |")]
    [TestCase("{epoch:^5}", 7, "  7  ")]
    [TestCase("{epoch:*^5}", 7, "**7**")]
    [TestCase("{epoch:+d}", 7, "+7")]
    [TestCase("{epoch:,}", 1234567, "1,234,567")]
    [TestCase("{epoch:x}", 255, "ff")]
    [TestCase("{epoch:.2f}", 3, "3.00")]
    [TestCase("{v:.2f}", 0.6931471805599453, "0.69")]
    [TestCase("{v:.4f}", -1.23456789, "-1.2346")]
    [TestCase("{v:08.3f}", -1.5, "-001.500")]
    [TestCase("{v:.4e}", 0.123456789, "1.2346e-01")]
    [TestCase("{v:.2E}", 12345.678, "1.23E+04")]
    [TestCase("{v:e}", 0.5, "5.000000e-01")]
    [TestCase("{v:.3g}", 0.000123456, "0.000123")]
    [TestCase("{v:.3g}", 123456.0, "1.23e+05")]
    [TestCase("{v:g}", 0.5, "0.5")]
    [TestCase("{v:.1%}", 0.8765, "87.6%")]   // 0.8765·100 = 87.6499… in binary, as in Python
    [TestCase("{v}", 0.1, "0.1")]
    [TestCase("{v}", 2.0, "2.0")]
    [TestCase("{v}", 1e-05, "1e-05")]
    [TestCase("{v}", 0.0001, "0.0001")]
    [TestCase("{v}", 1e16, "1e+16")]
    [TestCase("{v}", 123456789012345.0, "123456789012345.0")]
    [TestCase("{v}", 0.30000000000000004, "0.30000000000000004")]
    [TestCase("{v:.2f}", double.PositiveInfinity, "inf")]
    [TestCase("{v}", double.NaN, "nan")]
    [TestCase("a{{b}}c-{v:.1f}", 2.25, "a{b}c-2.2")]
    public void MatchesPython(string template, object value, string expected) => Assert.That(F(template, value), Is.EqualTo(expected));

    [TestCase("{epoch")]
    [TestCase("epoch}")]
    [TestCase("{}")]
    [TestCase("{epoch!r}")]
    public void RejectsMalformedTemplates(string template) => Assert.Throws<FormatException>(() => PythonFormat.Fields(template));

    [Test]
    public void RejectsSpecsThatDoNotFitTheValue()
    {
        Assert.Throws<FormatException>(() => F("{v:d}", 0.5));
        Assert.Throws<FormatException>(() => F("{v:.2d}", 5));
        Assert.Throws<FormatException>(() => F("{v:q}", 5));
    }
}
