using Newtonsoft.Json.Linq;

namespace SequentialNet.Saving;

/// <summary>Collects what a file holds from a model, checking first that the model will load again.</summary>
internal static class ModelSaver
{
    public static ModelFileContents Capture(Model model, bool weightsOnly)
    {
        model.SyncHost();
        List<NamedTensor> weights;
        // Copied under the host lock: a model sharing these layers may write them when its Fit ends, and
        // the file must hold one whole snapshot (its checksums are computed from this copy, not the live array).
        lock (Variable.HostSync) weights = [.. model.Weights.Select(w => new NamedTensor(w.Name, w.Shape, (float[])w.Value.Clone()))];
        if (weightsOnly) return new ModelFileContents { Kind = ModelFileFormat.WeightsContents, Weights = weights };
        var config = ModelConfig.Serialize(model);
        RoundTrip.CheckLayers(model, config);
        OptimizerState? state = null;
        if (model.IsCompiled)
        {
            config["compile_config"] = CompileConfig.Serialize(model);
            RoundTrip.CheckCompile((JObject)config["compile_config"]!, model);
            state = TrainingState.Capture(model);
        }
        return new ModelFileContents { Kind = ModelFileFormat.ModelContents, Config = config, Weights = weights, Optimizer = state };
    }
}
