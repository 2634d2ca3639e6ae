;; Constructor: one memory.grow of 255 pages.
(module
  (memory (export "memory") 1)
  (func (export "constructor")
    (drop (memory.grow (i32.const 255))))
  (func (export "run")))
