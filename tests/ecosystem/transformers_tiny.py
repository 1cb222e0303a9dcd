"""transformers 5: tiny BERT and GPT-2 built from their configs: forward, loss, backward, greedy
`generate`, and a `save_pretrained`/`from_pretrained` round trip through a local folder. The torch
run saves each model to $ECOSYSTEM_WORKDIR and the ember run loads it there, so both compute from the
same weights (test_transformers.py compares the JSON lines)."""
import json
import os

import torch
from transformers import BertConfig, BertForSequenceClassification, GPT2Config, GPT2LMHeadModel

WORKDIR = os.environ["ECOSYSTEM_WORKDIR"]


def emit(name, value):
    print(json.dumps({name: value}), flush=True)


def values(t):
    return [round(v, 4) for v in t.detach().double().flatten().tolist()]


def build(name, cls, config):
    folder = os.path.join(WORKDIR, name)
    if os.path.isdir(folder):
        return cls.from_pretrained(folder)
    torch.manual_seed(0)
    model = cls(config)
    model.save_pretrained(folder)
    return model


bert = build("bert", BertForSequenceClassification,
             BertConfig(vocab_size=99, hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
                        intermediate_size=37, max_position_embeddings=64, num_labels=3))
gpt2 = build("gpt2", GPT2LMHeadModel,
             GPT2Config(vocab_size=99, n_positions=64, n_embd=32, n_layer=2, n_head=4,
                        bos_token_id=98, eos_token_id=98, pad_token_id=0))
ids = torch.tensor([[5, 17, 42, 8, 3, 0], [11, 2, 33, 90, 0, 0]])
mask = (ids != 0).long()

emit("bert params", sum(p.numel() for p in bert.parameters()))
bert.eval()
out = bert(input_ids=ids, attention_mask=mask, labels=torch.tensor([2, 0]))
emit("bert logits", values(out.logits))
emit("bert loss", round(out.loss.item(), 5))
out.loss.backward()
emit("bert grads", [round(bert.classifier.weight.grad.norm().item(), 4),
                    round(bert.bert.embeddings.word_embeddings.weight.grad.norm().item(), 4)])

emit("gpt2 params", sum(p.numel() for p in gpt2.parameters()))
gpt2.eval()
out = gpt2(input_ids=ids, attention_mask=mask, labels=ids)
emit("gpt2 logits", values(out.logits[:, :2, :6]))
emit("gpt2 loss", round(out.loss.item(), 5))
out.loss.backward()
emit("gpt2 grad", round(gpt2.transformer.wte.weight.grad.norm().item(), 4))
with torch.no_grad():
    generated = gpt2.generate(ids[:1, :4], max_new_tokens=6, do_sample=False)
emit("gpt2 generate", generated.tolist())

folder = os.path.join(WORKDIR, "roundtrip-" + torch.__name__ + str(hasattr(torch, "_ember")))
gpt2.save_pretrained(folder)
again = GPT2LMHeadModel.from_pretrained(folder).eval()
emit("reloaded files", sorted(os.listdir(folder)))
with torch.no_grad():
    emit("reloaded same", bool(torch.equal(again(input_ids=ids).logits, gpt2(input_ids=ids).logits)))
