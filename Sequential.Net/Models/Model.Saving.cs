using SequentialNet.Saving;

namespace SequentialNet;

// Saving and loading (docs/model-format.md): one zip file with the config, the weights, the optimizer
// state and the seed, written atomically; Keras's save / load_model / save_weights / load_weights /
// to_json / model_from_json.
public partial class Model
{
    /// <summary>The seed of a loaded model, used instead of <see cref="Utils.Seed"/> when it is compiled.</summary>
    internal ulong? RestoredSeed { get; set; }

    /// <summary>The device state, when compiled and built.</summary>
    internal CompiledModel? CompiledState => _compiled;

    /// <summary>
    /// Saves the whole model to one file (a zip archive; ".snet" by convention): the layers and their
    /// configs, the compile configuration, every weight, and the optimizer's state with the iteration
    /// count and the model's seed, so that <see cref="Load"/> gives a model that predicts bitwise the same
    /// and continues <c>Fit(…, initialEpoch: k)</c> exactly as if it had never stopped. The file is written
    /// to a temporary file in the same folder, flushed to disk and renamed over <paramref name="path"/>:
    /// a crash leaves the previous file intact. Folders are created as needed.
    /// </summary>
    /// <exception cref="InvalidOperationException">A layer's class is not registered (see <see cref="LayerRegistry"/>) or does not rebuild from its config.</exception>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var _ = Gate.Enter(nameof(Save));
        ModelFileWriter.Write(path, ModelSaver.Capture(this, weightsOnly: false));
    }

    /// <summary>
    /// Loads a model written by <see cref="Save"/>: rebuilt from its config, its weights restored and,
    /// when <paramref name="compile"/> (the default) and the model was compiled, compiled as it was with
    /// its optimizer state, iteration count and seed. <paramref name="device"/> as in
    /// <c>Compile</c>: the file does not depend on the device it was written on.
    /// </summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="ModelFormatException">The file is not a model file, is truncated or corrupted, was written by a newer format version, or does not fit together; the message names the file and the problem.</exception>
    public static Model Load(string path, bool compile = true, string? device = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return ModelLoader.Load(path, compile, device);
    }

    /// <summary>
    /// Saves only the weights (in <see cref="Weights"/> order, with names, shapes and checksums) to a file
    /// that <see cref="LoadWeights"/> reads into a model of the same architecture. Atomic like <see cref="Save"/>.
    /// </summary>
    public void SaveWeights(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var _ = Gate.Enter(nameof(SaveWeights));
        ModelFileWriter.Write(path, ModelSaver.Capture(this, weightsOnly: true));
    }

    /// <summary>
    /// Loads weights from a file written by <see cref="SaveWeights"/> or <see cref="Save"/>, matching them
    /// to <see cref="Weights"/> by order and shape (layer names may differ). A model whose input shape is
    /// known (the first layer's <c>inputShape</c>) is built first, as Keras does; otherwise it must have been
    /// built by Build or Fit. Nothing changes unless every weight is read and checked.
    /// </summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="ModelFormatException">Bad file, or its weights do not fit this model (the message names the first that does not).</exception>
    /// <exception cref="InvalidOperationException">The model is not built and its input shape is unknown.</exception>
    public void LoadWeights(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (InputShape != null && Layers.Any(l => !l.Built)) Build(InputShape);   // Keras builds a model whose input shape is known
        if (Weights.Count == 0 && Layers.Any(l => !l.Built))
            throw new InvalidOperationException($"LoadWeights: the model \"{Name}\" is not built yet, so it has no weights to load into. Give the first layer an inputShape, or call Build(inputShape) or Fit first.");
        SetWeights(ModelLoader.ReadWeights(path, this));
    }

    /// <summary>The model's config (Keras <c>get_config</c>): name, layers (each with class_name and config), build_input_shape.</summary>
    public override Dictionary<string, object?> GetConfig() => Plain.ToDictionary((Newtonsoft.Json.Linq.JObject)ModelConfig.Serialize(this)["config"]!);

    /// <summary>The model's architecture as JSON (Keras <c>to_json</c>): what <see cref="FromJson"/> rebuilds, without weights or compile configuration.</summary>
    public string ToJson() => ModelConfig.Serialize(this).ToString(Newtonsoft.Json.Formatting.Indented);

    /// <summary>A new model with the architecture of <paramref name="json"/> (from <see cref="ToJson"/>), freshly initialized and not compiled (Keras <c>model_from_json</c>).</summary>
    /// <exception cref="ModelFormatException">The JSON does not describe a model.</exception>
    public static Model FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return ModelLoader.FromConfigJson(() => Json.Parse(json, "model JSON"));
    }

    /// <summary>
    /// A new Sequential model from a config returned by <see cref="GetConfig"/> (Keras <c>from_config</c>),
    /// freshly initialized and not compiled. The <see cref="ToJson"/> form, with class_name and config, is accepted too.
    /// </summary>
    /// <exception cref="ModelFormatException">The config does not describe a model.</exception>
    public static Model FromConfig(IReadOnlyDictionary<string, object?> config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return ModelLoader.FromConfigJson(() => (Newtonsoft.Json.Linq.JObject)Json.FromObject(config));
    }
}
