using SequentialNet.Layers;
using SequentialNet.Metrics;

namespace SequentialNet.Tests.Metrics;

/// <summary>F1Score, FBetaScore and R2Score come back from a saved model with their configs (Keras's get_config keys), plain and weighted.</summary>
public class PerClassMetricSavingTests
{
    [Test]
    public void ConfigsRoundTripThroughSaveAndLoad()
    {
        string folder = Path.Combine(Path.GetTempPath(), "snet-fscore-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            using var model = new Sequential(new Dense(4, inputShape: [3]), new Dense(3, activation: "sigmoid"));
            Metric[] metrics = [new F1Score("macro", 0.4, name: "f1_macro"), new FBetaScore("weighted", 2.0), new R2Score("variance_weighted_average", 2)];
            Metric[] weighted = [new F1Score("micro"), new R2Score()];
            model.Compile(optimizer: "adam", loss: "binary_crossentropy", metrics: metrics, weightedMetrics: weighted);
            string path = Path.Combine(folder, "m.snet");
            model.Save(path);
            using var loaded = Model.Load(path);
            Assert.That(loaded.CompiledMetrics.Select(m => m.Name), Is.EqualTo(new[] { "f1_macro", "fbeta_score", "r2_score", "f1_score", "weighted_r2_score" }));
            var configs = loaded.CompiledMetrics.Select(m => m.GetConfig()).ToArray();
            Assert.That(configs, Is.EqualTo(metrics.Concat(weighted).Select(m => m.GetConfig())));
            Assert.That(configs[0]["threshold"], Is.EqualTo(0.4));
            Assert.That(configs[1]["beta"], Is.EqualTo(2.0));
            Assert.That(configs[2]["num_regressors"], Is.EqualTo(2));
            // The loaded model's metrics were sized for its output at Compile: Evaluate reports them.
            var logs = loaded.Evaluate(new Tensor([0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f], 2, 3), new Tensor([1f, 0, 1, 0, 1, 0], 2, 3), verbose: 0);
            Assert.That(logs.Keys, Is.SupersetOf(new[] { "f1_macro", "fbeta_score", "r2_score", "f1_score", "weighted_r2_score" }));
        }
        finally { Directory.Delete(folder, recursive: true); }
    }
}
