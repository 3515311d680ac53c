using Newtonsoft.Json;
using SequentialNet.Initializers;

namespace SequentialNet.Saving;

/// <summary>
/// Writes an <see cref="ActivationFunction"/> or an <see cref="Initializer"/> found in a layer's GetConfig
/// the way built-in layers write them (a name, or class_name and config), so a custom layer may put its
/// activation or initializer object into its config as it is and load it back by constructor.
/// </summary>
internal sealed class ConfigObjectConverter : JsonConverter
{
    public override bool CanRead => false;

    public override bool CanConvert(Type objectType)
        => objectType == typeof(ActivationFunction) || typeof(Initializer).IsAssignableFrom(objectType);

    public override void WriteJson(JsonWriter writer, object? value, JsonSerializer serializer)
    {
        object? plain = value switch
        {
            ActivationFunction a => ConfigValues.Activation(a),
            Initializer i => ConfigValues.Initializer(i),
            _ => value,
        };
        serializer.Serialize(writer, plain);
    }

    public override object? ReadJson(JsonReader reader, Type objectType, object? existingValue, JsonSerializer serializer)
        => throw new NotSupportedException("ConfigObjectConverter only writes.");
}
