using Newtonsoft.Json.Linq;

namespace SequentialNet.Saving;

/// <summary>JSON trees as plain .NET values: long, double, bool, string, null, object?[] and dictionaries.</summary>
internal static class Plain
{
    public static Dictionary<string, object?> ToDictionary(JObject o)
        => o.Properties().ToDictionary(p => p.Name, p => ToValue(p.Value), StringComparer.Ordinal);

    public static object? ToValue(JToken token) => token switch
    {
        JObject o => ToDictionary(o),
        JArray a => a.Select(ToValue).ToArray(),
        JValue v => v.Type switch
        {
            JTokenType.Integer => v.Value is System.Numerics.BigInteger ? Convert.ToDouble(v.Value, System.Globalization.CultureInfo.InvariantCulture)
                : (object)Convert.ToInt64(v.Value, System.Globalization.CultureInfo.InvariantCulture),
            JTokenType.Float => Convert.ToDouble(v.Value, System.Globalization.CultureInfo.InvariantCulture),
            JTokenType.Null or JTokenType.Undefined => null,
            _ => v.Value,
        },
        _ => token.ToString(),
    };
}
