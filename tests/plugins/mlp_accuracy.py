# Test accuracy of a blo MLP (learner:mlp) from its weights file with numpy alone.
#   mlp_accuracy.py WEIGHTS.npz FASHION_MNIST_DIR N_TEST
import gzip, sys
import numpy as np
w, folder, n = np.load(sys.argv[1]), sys.argv[2], int(sys.argv[3])
raw = np.frombuffer(gzip.open(folder + "/t10k-images-idx3-ubyte.gz").read()[16:], np.uint8)[: n * 784]
x = raw.reshape(n, 784).astype(np.float32) * np.float32(1 / 255)   # as the dataset scales pixels
labels = np.frombuffer(gzip.open(folder + "/t10k-labels-idx1-ubyte.gz").read()[8:], np.uint8)[:n]
hidden = np.maximum(x @ w["dense0.weight"].T + w["dense0.bias"], 0)
logits = hidden @ w["dense2.weight"].T + w["dense2.bias"]
print(float((logits.argmax(1) == labels).mean()))
