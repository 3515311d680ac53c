namespace SequentialNet.Backends;

/// <summary>
/// A backend whose device can fail for good (a GPU kernel's illegal address: every later call in the CUDA
/// context fails with the same error). After such a fault the device's contents are lost, so the model
/// keeps its last host copy of the weights instead of downloading them when it is disposed.
/// </summary>
public interface IDeviceFault
{
    /// <summary>The first device fault the backend reported, or null while the device is healthy.</summary>
    Exception? Fault { get; }
}
