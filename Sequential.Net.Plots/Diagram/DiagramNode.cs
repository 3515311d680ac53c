namespace SequentialNet.Plotting.Diagram;

/// <summary>One box of a model diagram: "name (Type)" and the shapes, Keras style ("(None, 128)").</summary>
/// <param name="Name">The layer's name, e.g. "dense_1".</param>
/// <param name="Type">The layer's class, e.g. "Dense"; "InputLayer" for an input.</param>
/// <param name="InputShape">The input shape text, or null for an input node.</param>
/// <param name="OutputShape">The output shape text ("?" when unknown).</param>
internal sealed record DiagramNode(string Name, string Type, string? InputShape, string OutputShape);
