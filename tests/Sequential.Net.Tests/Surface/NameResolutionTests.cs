using SequentialNet.Initializers;
using SequentialNet.Losses;
using SequentialNet.Metrics;
using SequentialNet.Optimizers;
using SequentialNet.Regularizers;

namespace SequentialNet.Tests.Surface;

/// <summary>
/// Keras's get functions accept the snake_case name, its aliases and the class name; Sequential.Net
/// accepts them in any letter case as well (issue: "MSE", "mse", "mean_squared_error", "MeanSquaredError").
/// </summary>
public class NameResolutionTests
{
    [TestCase("MSE")]
    [TestCase("mse")]
    [TestCase("mean_squared_error")]
    [TestCase("MeanSquaredError")]
    [TestCase("Mean_Squared_Error")]
    public void EveryFormOfMseIsTheSameLoss(string name)
        => Assert.That(((Loss)name).GetType(), Is.EqualTo(typeof(SequentialNet.Losses.MeanSquaredError)));

    [TestCase("bce", typeof(BinaryCrossentropy))]
    [TestCase("BinaryCrossentropy", typeof(BinaryCrossentropy))]
    [TestCase("SparseCategoricalCrossentropy", typeof(SparseCategoricalCrossentropy))]
    [TestCase("MAE", typeof(SequentialNet.Losses.MeanAbsoluteError))]
    [TestCase("Huber", typeof(Huber))]
    public void LossAliasesAndClassNames(string name, Type type) => Assert.That(Loss.Get(name).GetType(), Is.EqualTo(type));

    [TestCase("MAE", typeof(SequentialNet.Metrics.MeanAbsoluteError))]
    [TestCase("Accuracy", typeof(Accuracy))]
    [TestCase("ACC", typeof(Accuracy))]
    [TestCase("SparseCategoricalAccuracy", typeof(SparseCategoricalAccuracy))]
    [TestCase("AUC", typeof(AUC))]
    [TestCase("TopKCategoricalAccuracy", typeof(TopKCategoricalAccuracy))]
    public void MetricNamesResolveTheSameWay(string name, Type type) => Assert.That(Metric.Get(name).GetType(), Is.EqualTo(type));

    [TestCase("Adam", typeof(Adam))]
    [TestCase("RMSprop", typeof(RMSprop))]
    [TestCase("RMSPROP", typeof(RMSprop))]
    [TestCase("AdamW", typeof(AdamW))]
    [TestCase("SGD", typeof(SGD))]
    public void OptimizerClassNames(string name, Type type) => Assert.That(Optimizer.Get(name).GetType(), Is.EqualTo(type));

    [TestCase("GlorotUniform", typeof(GlorotUniform))]
    [TestCase("HE_NORMAL", typeof(HeNormal))]
    [TestCase("uniform", typeof(RandomUniform))]
    [TestCase("normal", typeof(RandomNormal))]
    [TestCase("Zeros", typeof(Zeros))]
    [TestCase("zero", typeof(Zeros))]
    public void InitializerNames(string name, Type type) => Assert.That(Initializer.Get(name).GetType(), Is.EqualTo(type));

    [TestCase("L1", typeof(L1))]
    [TestCase("l2", typeof(L2))]
    [TestCase("L1L2", typeof(L1L2))]
    [TestCase("l1_l2", typeof(L1L2))]
    public void RegularizerNames(string name, Type type) => Assert.That(Regularizer.Get(name).GetType(), Is.EqualTo(type));

    [TestCase("ReLU", "relu")]
    [TestCase("LeakyReLU", "leaky_relu")]
    [TestCase("GELU", "gelu")]
    [TestCase("SiLU", "swish")]
    [TestCase("Tanh", "tanh")]
    public void ActivationNamesInAnyCase(string name, string expected) => Assert.That(Activations.Get(name).Name, Is.EqualTo(expected));

    [Test]
    public void EveryBuiltInLossMetricOptimizerAndInitializerResolvesByItsClassName()
    {
        foreach (string name in Loss.Names.Names) Assert.That(Loss.Get(name.ToUpperInvariant()).GetType(), Is.EqualTo(Loss.Get(name).GetType()), name);
        foreach (string name in Optimizer.Names.Names) Assert.That(Optimizer.Get(name.ToUpperInvariant()).GetType(), Is.EqualTo(Optimizer.Get(name).GetType()), name);
        foreach (string name in Initializer.Names.Names) Assert.That(Initializer.Get(name.ToUpperInvariant()).GetType(), Is.EqualTo(Initializer.Get(name).GetType()), name);
        foreach (var type in typeof(Loss).Assembly.GetTypes().Where(t => t.IsPublic && !t.IsAbstract && t.IsSubclassOf(typeof(Loss))))
            Assert.That(Loss.Get(type.Name).GetType(), Is.EqualTo(type), type.Name);
        foreach (var type in typeof(Optimizer).Assembly.GetTypes().Where(t => t.IsPublic && !t.IsAbstract && t.IsSubclassOf(typeof(Optimizer))))
            Assert.That(Optimizer.Get(type.Name).GetType(), Is.EqualTo(type), type.Name);
    }

    [Test]
    public void UnknownNamesStillListTheKnownOnes()
    {
        Assert.That(() => Loss.Get("mean_squared_eror"), Throws.ArgumentException.With.Message.StartsWith("Unknown loss: \"mean_squared_eror\". Expected one of: ")
            .And.Message.Contains("mean_squared_error").And.Message.Contains("mse"));
        Assert.That(() => Activations.Get("rellu"), Throws.ArgumentException.With.Message.Contains("Expected one of: ").And.Message.Contains("relu"));
        Assert.That(() => Regularizer.Get("l3"), Throws.ArgumentException.With.Message.Contains("Expected one of: l1, l1_l2, l2"));
        Assert.That(() => Metric.Get("acuracy"), Throws.ArgumentException.With.Message.StartsWith("Unknown metric: \"acuracy\". Expected one of: "));
    }
}

/// <summary>The shared name table itself.</summary>
public class NameTableTests
{
    [Test]
    public void SpellingsOfOneKeyAreAcceptedForTheSameTypeOnly()
    {
        var table = NameTable<object>.From("thing", [new("log_cosh", () => "a"), new("logcosh", () => "b")], withClassNames: false);
        Assert.That(table.Get("LogCosh"), Is.EqualTo("a"));
        Assert.That(() => NameTable<object>.From("thing", [new("log_cosh", () => "a"), new("logcosh", () => 1)], withClassNames: false),
            Throws.InvalidOperationException.With.Message.Contains("\"logcosh\""));
    }
}
