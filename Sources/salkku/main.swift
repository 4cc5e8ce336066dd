print("salkku")
