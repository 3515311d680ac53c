using SequentialNet.Backends;
using SequentialNet.Saving;

namespace SequentialNet;

// Layer.Trainable set after Compile: Keras asks for a new compile() before it takes effect; here the next
// Fit/Evaluate/Predict makes new plans for the new set of trainable weights, carrying the optimizer state
// (step count, the slots of weights that stay trainable, device scalars) and the seed over.
public abstract partial class Model
{
    /// <summary>Rebuilds the compiled state when the trainable weights differ from those it was built for.</summary>
    private void ApplyTrainableChanges()
    {
        if (_compiled == null) return;
        var trainable = TrainingState.TrainableWeights(this);
        if (trainable.SequenceEqual(_compiled.Store.Trainable)) return;
        var carried = CarriedOptimizerState.Read(_compiled);
        RestoredSeed = _compiled.State.Seed;
        DisposeCompiled();
        Build(InputShape!);
        carried.WriteInto(_compiled!, Optimizer!);
    }
}
