using System.Globalization;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace SequentialNet.Saving;

/// <summary>
/// JSON in and out for the model format (Newtonsoft.Json trees; parsed under limits by
/// <see cref="BoundedJsonReader"/>): typed reads that throw a
/// <see cref="FormatProblem"/> saying where (<c>where</c>, e.g. "config.json: layers[2].config") and what
/// was expected. Unknown fields are never an error: readers take what they know and ignore the rest.
/// </summary>
internal static class Json
{
    private static readonly JsonSerializer Serializer = JsonSerializer.Create(new JsonSerializerSettings
    {
        Culture = CultureInfo.InvariantCulture,
        FloatFormatHandling = FloatFormatHandling.String,
        Converters = [new ConfigObjectConverter()],
    });

    /// <summary>A JSON tree of a GetConfig dictionary (ints, floats, strings, arrays, nested dictionaries).</summary>
    public static JToken FromObject(object? value) => value == null ? JValue.CreateNull() : JToken.FromObject(value, Serializer);

    /// <summary>Longest indented text written; above it the entry is written compact.</summary>
    public const int MaxIndentedChars = 8 << 20;

    /// <summary>
    /// UTF-8 JSON text, indented to be read; compact when indented text would pass
    /// <see cref="MaxIndentedChars"/> (65,536 layers indented can pass the reader's 64 MiB entry limit; compact they stay under 40 MiB).
    /// </summary>
    public static byte[] ToUtf8(JToken token)
    {
        string text = token.ToString(Formatting.Indented);
        if (text.Length > MaxIndentedChars) text = token.ToString(Formatting.None);
        return new UTF8Encoding(false).GetBytes(text);
    }

    /// <summary>Compact text, for comparing configs.</summary>
    public static string Compact(JToken token) => token.ToString(Formatting.None);

    /// <summary>Parses one JSON object from caller-given <paramref name="text"/> (model JSON) under the config's limits.</summary>
    public static JObject Parse(string text, string where) => BoundedJsonReader.ParseObject(text, JsonLimits.Config, where);

    public static JObject Object(JToken? parent, string key, string where)
        => Get(parent, key, where) as JObject ?? throw Expected(parent, key, where, "an object");

    public static JArray Array(JToken? parent, string key, string where)
        => Get(parent, key, where) as JArray ?? throw Expected(parent, key, where, "an array");

    public static string String(JToken? parent, string key, string where)
        => Get(parent, key, where) is JValue { Type: JTokenType.String, Value: string s } ? s : throw Expected(parent, key, where, "a string");

    public static long Long(JToken? parent, string key, string where, long min = long.MinValue, long max = long.MaxValue)
    {
        if (Get(parent, key, where) is JValue v && AsLong(v) is long n && n >= min && n <= max) return n;
        throw Expected(parent, key, where, $"an integer in [{min}, {max}]");
    }

    public static int Int(JToken? parent, string key, string where, int min = int.MinValue, int max = int.MaxValue)
        => (int)Long(parent, key, where, min, max);

    /// <summary>An optional field: null when absent or JSON null.</summary>
    public static JToken? Optional(JToken? parent, string key)
        => parent is JObject o && o.TryGetValue(key, StringComparison.Ordinal, out var t) && t is not JValue { Value: null } ? t : null;

    /// <summary>An optional string field: null when absent or JSON null.</summary>
    public static string? OptionalString(JToken? parent, string key, string where) => Optional(parent, key) switch
    {
        null => null,
        JValue { Type: JTokenType.String, Value: string s } => s,
        var other => throw new FormatProblem($"{where}: expected \"{key}\" to be a string or null. Received: {Describe(other)}."),
    };

    /// <summary>A shape written Keras-style with the batch axis first as null: [null, 28, 28]; returns it without the batch axis.</summary>
    public static int[] BatchShape(JToken token, string where)
    {
        if (token is not JArray a || a.Count == 0 || a.Count > 32 || a[0].Type != JTokenType.Null)
            throw new FormatProblem($"{where}: expected a shape with a null batch axis first, e.g. [null, 784]. Received: {Describe(token)}.");
        return Shape(new JArray(a.Skip(1)), where, allowZero: false);
    }

    /// <summary>Non-negative int dimensions (at most 32 of them).</summary>
    public static int[] Shape(JToken token, string where, bool allowZero = true)
    {
        if (token is not JArray a || a.Count > 32)
            throw new FormatProblem($"{where}: expected a shape, an array of at most 32 dimensions. Received: {Describe(token)}.");
        var shape = new int[a.Count];
        for (int i = 0; i < shape.Length; i++)
        {
            if (a[i] is not JValue v || AsLong(v) is not long d || d < (allowZero ? 0 : 1) || d > int.MaxValue)
                throw new FormatProblem($"{where}: expected dimensions that are integers >= {(allowZero ? 0 : 1)}. Received: {Describe(token)}.");
            shape[i] = (int)d;
        }
        return shape;
    }

    /// <summary>The value of an integer token (parsed ones hold a long, built ones may hold an int); null for anything else or a BigInteger.</summary>
    private static long? AsLong(JValue v) => v.Type == JTokenType.Integer && v.Value is long or int or short or byte or uint or ushort or sbyte
        ? Convert.ToInt64(v.Value, CultureInfo.InvariantCulture) : null;

    /// <summary>A short rendering of a token for messages (at most 80 characters).</summary>
    public static string Describe(JToken? token)
    {
        if (token == null) return "nothing";
        string text = token.Type == JTokenType.Null ? "null" : token.ToString(Formatting.None);
        return text.Length > 80 ? text[..77] + "…" : text;
    }

    private static JToken? Get(JToken? parent, string key, string where)
    {
        if (parent is not JObject o) throw new FormatProblem($"{where}: expected an object. Received: {Describe(parent)}.");
        return o.TryGetValue(key, StringComparison.Ordinal, out var t) ? t
            : throw new FormatProblem($"{where}: expected a field \"{key}\". Received: fields {string.Join(", ", o.Properties().Select(p => p.Name).Take(20))}.");
    }

    private static FormatProblem Expected(JToken? parent, string key, string where, string what)
        => new($"{where}: expected \"{key}\" to be {what}. Received: {Describe(((JObject)parent!)[key])}.");
}
