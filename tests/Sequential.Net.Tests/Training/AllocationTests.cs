using SequentialNet.Callbacks;
using SequentialNet.Layers;

namespace SequentialNet.Tests.Training;

/// <summary>After the first step of a Fit, a training step allocates nothing on the managed heap.</summary>
public class AllocationTests
{
    /// <summary>
    /// Measures the bytes this thread allocated between the end of batch 2 and the end of the last batch. The batch
    /// index restarts each epoch, so with two epochs the window is the second epoch's steps: one-time runtime work
    /// (a method's tier-up, a worker's first use of its scratch) can land inside the first epoch on a loaded machine,
    /// while allocation per step shows in either epoch.
    /// </summary>
    private sealed class AllocationProbe : Callback
    {
        public long AtBatch2 = -1, AtLast = -1;
        public int LastBatch;
        public override void OnTrainBatchEnd(int batch, IReadOnlyDictionary<string, double> logs)
        {
            long now = GC.GetAllocatedBytesForCurrentThread();
            if (batch == 2) AtBatch2 = now;
            if (batch == LastBatch) AtLast = now;
        }
    }

    [Test]
    public void TrainingStepsAllocateNothingAfterTheFirst()
    {
        Utils.SetRandomSeed(3);
        var model = new Sequential(new Dense(64, activation: "relu", inputShape: [20]), new Dropout(0.2), new Dense(5, activation: "softmax"));
        model.Compile(optimizer: "adam", loss: "sparse_categorical_crossentropy", metrics: ["accuracy"]);
        var probe = new AllocationProbe { LastBatch = 200 };
        // 6432 samples at batch 32 = 201 full batches: the second epoch's batches 3..200 run between the two readings.
        model.Fit(TestData.Random(6432, 20, 1), TestData.Labels(6432, 5, 2), epochs: 2, batchSize: 32, verbose: 0, callbacks: [probe]);
        Assert.That(probe.AtLast - probe.AtBatch2, Is.EqualTo(0), "bytes allocated by 198 training steps");
    }

    [Test]
    public void FunctionalTrainingStepsWithTwoInputsTwoOutputsAndASharedLayerAllocateNothingAfterTheFirst()
    {
        Utils.SetRandomSeed(5);
        var a = new Input([20]); var b = new Input([20]);
        var shared = new Dense(16, activation: "relu");
        var joined = new Concatenate().Apply(shared.Apply(a), new Add().Apply(shared.Apply(b), new Dense(16).Apply(b)));
        var model = new Model([a, b], [new Dense(5, activation: "softmax", name: "cls").Apply(joined), new Dense(1, name: "reg").Apply(joined)]);
        model.Compile(optimizer: "adam", loss: ["sparse_categorical_crossentropy", "mse"], lossWeights: [1.0, 0.5], metrics: [["accuracy"], ["mae"]]);
        var probe = new AllocationProbe { LastBatch = 200 };
        model.Fit([TestData.Random(6432, 20, 1), TestData.Random(6432, 20, 3)], [TestData.Labels(6432, 5, 2), TestData.Random(6432, 1, 4)],
            epochs: 2, batchSize: 32, verbose: 0, callbacks: [probe]);
        Assert.That(probe.AtLast - probe.AtBatch2, Is.EqualTo(0), "bytes allocated by 198 functional training steps");
    }

    [Test]
    public void BatchNormalizationTrainingStepsAllocateNothingAfterTheFirst()
    {
        Utils.SetRandomSeed(4);
        var model = new Sequential(new Dense(64, inputShape: [20]), new BatchNormalization(), new Activation("relu"), new Dense(5, activation: "softmax"));
        model.Compile(optimizer: "adam", loss: "sparse_categorical_crossentropy", metrics: ["accuracy"]);
        var probe = new AllocationProbe { LastBatch = 200 };
        model.Fit(TestData.Random(6432, 20, 1), TestData.Labels(6432, 5, 2), epochs: 2, batchSize: 32, verbose: 0, callbacks: [probe]);
        Assert.That(probe.AtLast - probe.AtBatch2, Is.EqualTo(0), "bytes allocated by 198 training steps with batch statistics");
    }

    [Test]
    public void ConvolutionalTrainingStepsAllocateNothingAfterTheFirst()
    {
        Utils.SetRandomSeed(5);
        var model = new Sequential(new Conv2D(8, 3, padding: "same", activation: "relu", inputShape: [8, 8, 1]), new MaxPooling2D(2),
            new Conv2D(8, 2, strides: 2), new BatchNormalization(), new GlobalAveragePooling2D(), new Dense(5, activation: "softmax"));
        model.Compile(optimizer: "adam", loss: "sparse_categorical_crossentropy", metrics: ["accuracy"]);
        var probe = new AllocationProbe { LastBatch = 200 };
        model.Fit(TestData.Random(6432, 64, 1).Reshape(6432, 8, 8, 1), TestData.Labels(6432, 5, 2), epochs: 2, batchSize: 32, verbose: 0, callbacks: [probe]);
        Assert.That(probe.AtLast - probe.AtBatch2, Is.EqualTo(0), "bytes allocated by 198 convolutional training steps");
    }

    [Test]
    public void CompiledStepAllocatesNothing()
    {
        Utils.SetRandomSeed(3);
        var model = new Sequential(new Dense(32, activation: "tanh", inputShape: [10]), new Dense(1));
        model.Compile(optimizer: new SequentialNet.Optimizers.SGD(0.01, momentum: 0.9), loss: "mse");
        var x = TestData.Random(64, 10, 1); var y = TestData.Random(64, 1, 2);
        model.Fit(x, y, epochs: 1, batchSize: 16, verbose: 0);
        var compiled = model.CompiledForTests!;
        using var xData = compiled.Backend.UseHostData(x.Data);
        using var yData = compiled.Backend.UseHostData(y.Data);
        Backends.DeviceBuffer[] xb = [xData], yb = [yData];
        var order = new Backends.RowOrder(0, 64, Shuffled: true, Seed: 5);
        compiled.Backend.SetCounter(compiled.State.Counters, Backends.StateSlots.TrainCursor, 0);
        compiled.Step(PlanKind.Train, 16, xb, yb, order, Backends.StateSlots.TrainCursor);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            compiled.Backend.SetCounter(compiled.State.Counters, Backends.StateSlots.TrainCursor, 0);
            compiled.Step(PlanKind.Train, 16, xb, yb, order, Backends.StateSlots.TrainCursor);
        }
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.EqualTo(0));
    }
}
