using SequentialNet.Layers;
using SequentialNet.Optimizers;

namespace SequentialNet.Tests.Optimizers;

/// <summary>Keras names, Compile's default optimizer and the common configuration keys.</summary>
public class OptimizerApiTests
{
    [TestCase("rmsprop", typeof(RMSprop))]
    [TestCase("adamw", typeof(AdamW))]
    [TestCase("adagrad", typeof(Adagrad))]
    [TestCase("RMSprop", typeof(RMSprop))]
    [TestCase("adam", typeof(Adam))]
    public void KerasNamesResolve(string name, Type type)
    {
        Optimizer o = name;
        Assert.That(o.GetType(), Is.EqualTo(type));
        Assert.That(o.Name, Is.EqualTo(name.ToLowerInvariant()));
    }

    [Test]
    public void UnknownNamesListTheKnownOnes()
        => Assert.That(() => Optimizer.Get("adamm"), Throws.ArgumentException.With.Message.StartsWith(
            "Unknown optimizer: \"adamm\". Expected one of: adadelta, adagrad, adam, adamax, adamw, ftrl, lion, nadam, rmsprop, sgd (any letter case"));

    [Test]
    public void CompileDefaultsToRmsprop()
    {
        using var model = new Sequential(new Dense(1, inputShape: [1]));
        model.Compile(loss: "mse");
        Assert.That(model.Optimizer, Is.TypeOf<RMSprop>());
        Assert.That(model.Optimizer!.LearningRate, Is.EqualTo(1e-3));
    }

    [Test]
    public void ConfigHasKerasCommonKeys()
    {
        var c = new SGD(0.1, weightDecay: 0.01, globalClipNorm: 1.5).GetConfig();
        Assert.That(c["weight_decay"], Is.EqualTo(0.01));
        Assert.That(c["global_clipnorm"], Is.EqualTo(1.5));
        Assert.That(c["clipnorm"], Is.Null);
        Assert.That(c["clipvalue"], Is.Null);
        var r = new RMSprop(rho: 0.8, momentum: 0.5, centered: true).GetConfig();
        Assert.That((r["name"], r["rho"], r["momentum"], r["centered"]), Is.EqualTo(("rmsprop", (object)0.8, (object)0.5, (object)true)));
    }

    [Test]
    public void InvalidLearningRateIsRejected()
    {
        Assert.That(() => new RMSprop(learningRate: 0), Throws.ArgumentException.With.Message.StartsWith("RMSprop: expected learningRate > 0. Received: 0."));
        Assert.That(() => new AdamW(learningRate: -1), Throws.ArgumentException.With.Message.StartsWith("AdamW: expected learningRate > 0."));
    }
}
