using System.Reflection;
using Newtonsoft.Json.Linq;
using SequentialNet.Initializers;

namespace SequentialNet.Saving;

/// <summary>
/// Keras's default <c>from_config</c>, <c>cls(**config)</c>, for .NET: calls the public constructor whose
/// parameters the config can fill, matching each parameter to a config key by name without underscores or
/// case (<c>use_bias</c> → <c>useBias</c>, <c>beta_1</c> → <c>beta1</c>). Missing keys take the
/// parameter's default; keys no parameter wants are ignored (newer files may carry more).
/// </summary>
internal static class ConfigConstructor
{
    /// <summary>Creates a <paramref name="type"/> from <paramref name="config"/>.</summary>
    public static object Create(Type type, JObject config, string where)
    {
        var keys = config.Properties().GroupBy(p => Normalize(p.Name)).ToDictionary(g => g.Key, g => g.First().Value);
        var candidates = type.GetConstructors(BindingFlags.Public | BindingFlags.Instance)
            .Where(c => c.GetParameters().All(p => p.HasDefaultValue || keys.ContainsKey(Normalize(p.Name!))))
            .Where(c => c.GetParameters().All(p => !keys.TryGetValue(Normalize(p.Name!), out var t) || Fits(t, p.ParameterType)))
            .OrderByDescending(c => c.GetParameters().Count(p => keys.ContainsKey(Normalize(p.Name!))))
            .ToList();
        if (candidates.Count == 0)
        {
            var needed = type.GetConstructors().SelectMany(c => c.GetParameters()).Where(p => !p.HasDefaultValue).Select(p => p.Name).Distinct();
            throw new FormatProblem($"{where}: cannot create a {type.Name}: expected config keys for its constructor parameters ({string.Join(", ", needed)}). Received: keys {string.Join(", ", config.Properties().Select(p => p.Name))}.");
        }
        var ctor = candidates[0];
        var args = ctor.GetParameters().Select(p => keys.TryGetValue(Normalize(p.Name!), out var t)
            ? Convert(t, p.ParameterType, $"{where}.{p.Name}") : p.DefaultValue).ToArray();
        try { return ctor.Invoke(args); }
        catch (TargetInvocationException e) when (e.InnerException is ArgumentException or InvalidOperationException or NotSupportedException)
        {
            throw new FormatProblem($"{where}: the config does not make a valid {type.Name}: {e.InnerException.Message}", e.InnerException);
        }
    }

    /// <summary>
    /// Whether a constructor parameter takes this kind of value: a schedule parameter takes an object, any
    /// other a non-object (so an optimizer's learning_rate picks its number or its schedule constructor); an
    /// array only an array parameter.
    /// </summary>
    private static bool Fits(JToken token, Type parameterType)
        => SameNesting(token, parameterType)
           && ((token is not JArray || (Nullable.GetUnderlyingType(parameterType) ?? parameterType).IsArray)   // [3, 3] picks Conv2D(int[] kernelSize …), not (int kernelSize …)
               && (token is JObject) == typeof(Optimizers.LearningRateSchedule).IsAssignableFrom(parameterType)
               || token is JObject && parameterType != typeof(Optimizers.LearningRateSchedule) && !parameterType.IsPrimitive);

    /// <summary>
    /// Whether an array token nests as deep as the parameter's array type, so [[1, 1], [2, 2]] picks
    /// ZeroPadding2D(int[][] padding …), not (int[] padding …); an empty array fits any depth, a non-array anything.
    /// </summary>
    private static bool SameNesting(JToken token, Type parameterType)
    {
        if (token is not JArray) return true;
        var t = Nullable.GetUnderlyingType(parameterType) ?? parameterType;
        for (; token is JArray a; t = t.GetElementType()!)
        {
            if (!t.IsArray) return false;
            if (a.Count == 0) return true;
            token = a[0];
        }
        return !t.IsArray;
    }

    /// <summary>Whether <paramref name="parameterType"/> can be read from a config value.</summary>
    public static bool Supports(Type parameterType)
    {
        var t = Nullable.GetUnderlyingType(parameterType) ?? parameterType;
        return t.IsPrimitive || t == typeof(string) || t.IsEnum || t == typeof(ActivationFunction) || t == typeof(Initializer)
            || t == typeof(Optimizers.LearningRateSchedule) || t == typeof(Regularizers.Regularizer)
            || t.IsArray && Supports(t.GetElementType()!);
    }

    private static object? Convert(JToken token, Type type, string where)
    {
        if (token.Type == JTokenType.Null)
            return !type.IsValueType || Nullable.GetUnderlyingType(type) != null ? null
                : throw new FormatProblem($"{where}: expected a {type.Name}. Received: null.");
        var t = Nullable.GetUnderlyingType(type) ?? type;
        if (t == typeof(ActivationFunction)) return ConfigValues.ReadActivation(token, where);
        if (t == typeof(Initializer)) return ConfigValues.ReadInitializer(token, where);
        if (t == typeof(Optimizers.LearningRateSchedule)) return ConfigValues.ReadSchedule(token, where);
        if (t == typeof(Regularizers.Regularizer)) return ConfigValues.ReadRegularizer(token, where);
        if (t.IsArray) return ConvertArray(token, t.GetElementType()!, where);
        try
        {
            if (t.IsEnum) return Enum.Parse(t, token.Value<string>() ?? "", ignoreCase: true);
            if (t == typeof(bool) && token.Type != JTokenType.Boolean) throw new FormatException("not a boolean");
            if (t == typeof(string) && token.Type != JTokenType.String) throw new FormatException("not a string");
            if (t.IsPrimitive && t != typeof(bool) && token.Type is not (JTokenType.Integer or JTokenType.Float)) throw new FormatException("not a number");
            if (IsIntegral(t) && token.Type != JTokenType.Integer) throw new FormatException("not an integer");
            return token.ToObject(t);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or OverflowException or InvalidCastException or Newtonsoft.Json.JsonException)
        {
            throw new FormatProblem($"{where}: expected a {t.Name}. Received: {Json.Describe(token)}.", e);
        }
    }

    private static Array ConvertArray(JToken token, Type element, string where)
    {
        if (token is not JArray a || a.Count > 1 << 16)
            throw new FormatProblem($"{where}: expected an array of {element.Name}. Received: {Json.Describe(token)}.");
        var result = System.Array.CreateInstance(element, a.Count);
        for (int i = 0; i < a.Count; i++) result.SetValue(Convert(a[i], element, $"{where}[{i}]"), i);
        return result;
    }

    private static bool IsIntegral(Type t) => t == typeof(int) || t == typeof(long) || t == typeof(short) || t == typeof(byte)
        || t == typeof(uint) || t == typeof(ulong) || t == typeof(ushort) || t == typeof(sbyte);

    /// <summary>"use_bias", "useBias" and "UseBias" all become "usebias".</summary>
    public static string Normalize(string name) => name.Replace("_", "", StringComparison.Ordinal).ToLowerInvariant();
}
